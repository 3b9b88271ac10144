import { inRound, roundSlot, runInRound } from '@gantry/core';

/** One reconcile's reads of registries: each question asked once, fresh cached answers used. */
interface ReadSession {
  readonly answers: Map<string, Promise<unknown>>;
}

/** In the one async context of rounds (see `runInRound`): a second store would cost every promise again. */
const sessions = roundSlot<ReadSession>('registry reads');

/**
 * Runs `read` as one round of background reads (a reconcile, a schedule's refresh): inside it,
 * a registry answers from its tag cache while the answer is younger than the registry's
 * `cacheTtl`, and asks each question (a repository's tags, a tag's digest) at most once, however
 * many phases ask it. Outside such a round (a person's promotion, a plan, a preview) every read
 * asks the registry again, conditionally where it gave an ETag, so what a person acts on is
 * what the registry holds now. A push webhook (`changed`) makes every later read ask again.
 */
export function withCachedReads<T>(read: () => Promise<T>): Promise<T> {
  return runInRound(sessions, { answers: new Map() }, read);
}

/**
 * Inside a round of cached reads: the answer to `key` given earlier in the round, else `ask()`'s.
 * Outside one: `undefined` (the caller asks).
 */
export function sharedInRound<T>(key: string, ask: () => Promise<T>): Promise<T> | undefined {
  const session = inRound(sessions);
  if (!session) return undefined;
  let answer = session.answers.get(key) as Promise<T> | undefined;
  if (!answer) {
    answer = ask();
    session.answers.set(key, answer);
  }
  return answer;
}

/** Whether the caller reads inside a round of cached reads. */
export const inCachedRound = (): boolean => inRound(sessions) !== undefined;
