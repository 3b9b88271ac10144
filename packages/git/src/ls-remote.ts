import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from '@gantry/core';
import { gitFailure } from './classify.js';
import type { RemoteConfig } from './config.js';
import { DEFAULT_BRANCH } from './config.js';
import { credentialEnv, moveUrlCredentials, secretsOf, writeAskpass } from './credentials.js';
import { gitEnv } from './exec.js';
import { gitSpawnError } from './git-binary.js';
import { displayUrl, scrubSecrets } from './scrub.js';

/** What `git ls-remote` saw of a remote, with the credentials Gantry would use. */
export interface RemoteProbe {
  /** The URL without credentials. */
  readonly url: string;
  /** Branches on the remote. */
  readonly branches: number;
  /** The branch sources use when they name none, and whether the remote has it. */
  readonly branch: string;
  readonly branchFound: boolean;
}

export interface ProbeRemoteOptions {
  /** Gives up after this long (default 30 s): an unreachable host may otherwise hang for minutes. */
  readonly timeoutMs?: number;
}

/**
 * Asks a remote for its branches with `git ls-remote --heads`, as Gantry's fetches would ask:
 * the same credentials (askpass, SSH key), no credential helper, no prompt. Reads nothing into
 * any clone. Throws what a fetch would: `git_unreachable`, `git_auth_failed`, `git_failed`,
 * `git_not_found`.
 */
export async function probeRemote(
  name: string,
  given: RemoteConfig,
  options: ProbeRemoteOptions = {},
): Promise<RemoteProbe> {
  const config = moveUrlCredentials(given);
  const secrets = secretsOf(config.credentials);
  const url = displayUrl(config.url);
  const scratch = await mkdtemp(join(tmpdir(), 'gantry-ls-remote-'));
  try {
    const askpass =
      config.credentials && !('sshKey' in config.credentials) ? await writeAskpass(join(scratch, 'git')) : '';
    const env = gitEnv(scratch, credentialEnv(config.credentials, askpass));
    const timeoutMs = options.timeoutMs ?? 30_000;
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }>(
      (resolve, reject) => {
        const child = spawn('git', ['ls-remote', '--heads', config.url], {
          cwd: scratch,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeoutMs);
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
        });
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        child.on('error', (e) => {
          clearTimeout(timer);
          reject(gitSpawnError(e, env.PATH));
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr, timedOut });
        });
      },
    );
    if (out.timedOut) {
      throw new SourceError(
        'git_unreachable',
        `git repository "${name}" at ${url} did not answer within ${timeoutMs} ms`,
        {
          repository: name,
          url,
        },
      );
    }
    if (out.code !== 0) {
      throw gitFailure({ repository: name, url, command: 'ls-remote', stderr: scrubSecrets(out.stderr, secrets) });
    }
    const heads = out.stdout
      .split('\n')
      .map((l) => l.split('\t')[1])
      .filter((r): r is string => r?.startsWith('refs/heads/') === true)
      .map((r) => r.slice('refs/heads/'.length));
    const branch = config.branch ?? DEFAULT_BRANCH;
    return { url, branches: heads.length, branch, branchFound: heads.includes(branch) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
