import { z } from 'zod';

/**
 * The life of a promotion. A promotion waits while a gate says "not yet" (approvals, a
 * window, soak time), is queued, claimed by one worker (running), written as a commit,
 * pushed to the config repository, and then settles.
 */
export const promotionStateSchema = z.enum([
  'waiting',
  'queued',
  'running',
  'committed',
  'pushed',
  'proposed',
  'succeeded',
  'failed',
  'superseded',
]);
export type PromotionState = z.infer<typeof promotionStateSchema>;

/** All states, in lifecycle order. */
export const PROMOTION_STATES: readonly PromotionState[] = promotionStateSchema.options;

const TRANSITIONS: Readonly<Record<PromotionState, readonly PromotionState[]>> = {
  // waiting -> failed: a gate blocks it for good (an approver rejected it)
  waiting: ['queued', 'superseded', 'failed'],
  queued: ['running', 'superseded', 'failed'],
  // running -> succeeded: the phase already held the version when the write reached it (no commit)
  // running/committed -> queued: a replica died before the write reached the remote; another retries it
  // running -> proposed: the phase writes by pull request, which is now open
  running: ['committed', 'proposed', 'succeeded', 'failed', 'queued'],
  committed: ['pushed', 'failed', 'queued'],
  pushed: ['succeeded', 'failed', 'superseded'],
  // merged -> succeeded (its merge commit is the phase's commit); closed unmerged -> superseded
  // (a newer version took its place, or it became unnecessary) or failed (someone closed it)
  proposed: ['succeeded', 'failed', 'superseded'],
  succeeded: [],
  failed: [],
  superseded: [],
};

/** States a promotion can settle in; nothing follows them. */
export const TERMINAL_STATES: readonly PromotionState[] = ['succeeded', 'failed', 'superseded'];

/** States in which a promotion owns its phase: no other promotion of the phase may start. */
export const ACTIVE_STATES: readonly PromotionState[] = ['running', 'committed', 'pushed'];

/**
 * Not settled yet: waiting on gates, queued, running, or open as a pull request (`proposed`,
 * which does not own its phase: a newer version runs and updates the same pull request).
 */
export const UNFINISHED_STATES: readonly PromotionState[] = ['waiting', 'queued', ...ACTIVE_STATES, 'proposed'];

export function allowedTransitions(from: PromotionState): readonly PromotionState[] {
  return TRANSITIONS[from];
}

export function canTransition(from: PromotionState, to: PromotionState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(state: PromotionState): boolean {
  return TERMINAL_STATES.includes(state);
}

export function isActive(state: PromotionState): boolean {
  return ACTIVE_STATES.includes(state);
}
