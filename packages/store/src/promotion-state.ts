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
  running: ['committed', 'succeeded', 'failed', 'queued'],
  committed: ['pushed', 'failed', 'queued'],
  pushed: ['succeeded', 'failed', 'superseded'],
  succeeded: [],
  failed: [],
  superseded: [],
};

/** States a promotion can settle in; nothing follows them. */
export const TERMINAL_STATES: readonly PromotionState[] = ['succeeded', 'failed', 'superseded'];

/** States in which a promotion owns its phase: no other promotion of the phase may start. */
export const ACTIVE_STATES: readonly PromotionState[] = ['running', 'committed', 'pushed'];

/** States a crashed process may have left behind; recovery looks at these. */
export const UNFINISHED_STATES: readonly PromotionState[] = ['waiting', 'queued', ...ACTIVE_STATES];

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
