import { inRound, roundSlot, runInRound } from '@gantry/core';

/** One round of background reads: the fetch each cached clone made (or found fresh) in it. */
type FetchRound = Map<string, Promise<void>>;

/** In the one async context of rounds (see `runInRound`): a second store would cost every promise again. */
const rounds = roundSlot<FetchRound>('git fetches');

/**
 * Runs `read` as one round of background reads (a reconcile, a schedule's refresh): inside it,
 * each repository is fetched at most once, however long the round takes. Without it, a round
 * of thousands of pipelines that outlasts the clone's `staleAfter` (2 s) would fetch again part
 * way through, and the repository's phases would be read at two different tips. A push webhook
 * (`expire`) during the round still makes later reads fetch.
 */
export function withFetchRound<T>(read: () => Promise<T>): Promise<T> {
  return runInRound(rounds, new Map(), read);
}

/** Inside a round: the fetch (or freshness check) the clone `dir` made in it, else `check()`'s. */
export function fetchOncePerRound(dir: string, check: () => Promise<void>): Promise<void> {
  const round = inRound(rounds);
  if (!round) return check();
  let done = round.get(dir);
  if (!done) {
    done = check();
    round.set(dir, done);
  }
  return done;
}
