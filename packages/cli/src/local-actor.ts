import { userInfo } from 'node:os';
import type { Identity } from '@gantry/core';
import type { Io } from './io.js';

/** Who a local promotion is by: the person's Git identity when the environment has one. */
export function authorFrom(env: Io['env']): Identity | undefined {
  const name = env.GANTRY_AUTHOR_NAME ?? env.GIT_AUTHOR_NAME;
  const email = env.GANTRY_AUTHOR_EMAIL ?? env.GIT_AUTHOR_EMAIL;
  return name && email ? { name, email } : undefined;
}

/**
 * The name a local command records as the actor (of an approval, a pin, a pause): the same
 * one a local promotion records as its requester, so a person's own approval of what they
 * asked for is recognised as such. A server names the token instead.
 */
export function localActor(env: Io['env']): string {
  return authorFrom(env)?.email ?? userInfo().username;
}

/**
 * Local commands act on the data directory's store directly: whoever may write it may do
 * what an admin token may (approve, pin, pause). A server is where roles are enforced.
 */
export const LOCAL_ROLE = 'admin';
