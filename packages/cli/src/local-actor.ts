import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import type { Identity } from '@gantry/core';
import type { Io } from './io.js';

/** `git config --get <key>` where the command runs, or undefined (unset, or no git). */
function gitConfig(key: string, env: Io['env'], cwd: string): string | undefined {
  try {
    const value = execFileSync('git', ['config', '--get', key], {
      cwd,
      env: env as NodeJS.ProcessEnv,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    }).trim();
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}

/**
 * Who a local promotion is by: `GANTRY_AUTHOR_NAME`/`_EMAIL`, else `GIT_AUTHOR_NAME`/`_EMAIL`,
 * else the person's Git identity (`git config user.name`/`user.email` where the command runs),
 * as `git commit` would take it. The commit is theirs; the configured identity commits it.
 */
export function authorFrom(env: Io['env'], cwd: string = process.cwd()): Identity | undefined {
  const name = env.GANTRY_AUTHOR_NAME ?? env.GIT_AUTHOR_NAME;
  const email = env.GANTRY_AUTHOR_EMAIL ?? env.GIT_AUTHOR_EMAIL;
  if (name && email) return { name, email };
  const gitName = name ?? gitConfig('user.name', env, cwd);
  const gitEmail = email ?? gitConfig('user.email', env, cwd);
  return gitName && gitEmail ? { name: gitName, email: gitEmail } : undefined;
}

/**
 * The name a local command records as the actor (of an approval, a pin, a pause): the same
 * one a local promotion records as its requester, so a person's own approval of what they
 * asked for is recognised as such. A server names the token instead.
 */
export function localActor(env: Io['env'], cwd: string = process.cwd()): string {
  return authorFrom(env, cwd)?.email ?? userInfo().username;
}

/**
 * Local commands act on the data directory's store directly: whoever may write it may do
 * what an admin token may (approve, pin, pause). A server is where roles are enforced.
 */
export const LOCAL_ROLE = 'admin';
