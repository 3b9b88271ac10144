import { inRound, roundSlot, runInRound } from './read-round.js';

/** The time reads inside must be newer than (see `readingFreshSince`). */
const freshness = roundSlot<number>('fresh since');

/**
 * Runs `read` so that every source read inside it answers from a read begun at `since` or
 * later (a Git fetch), never from one a cache still counts as fresh. What a person asks for is
 * judged on the tip as it is now: a release planned on a clone fetched a second before a
 * colleague's push would be told "already runs that version" when Git says otherwise.
 */
export function readingFreshSince<T>(since: number, read: () => Promise<T>): Promise<T> {
  return runInRound(freshness, since, read);
}

/** The time the caller's reads must be newer than, when it runs inside `readingFreshSince`. */
export function freshReadsSince(): number | undefined {
  return inRound(freshness);
}
