import type { Duration } from '@gantry/core';

export interface RetryPolicy {
  /** Attempts per delivery, the first included. */
  readonly attempts: number;
  /** Back-off before the second attempt; it doubles after each. */
  readonly initialDelay: Duration;
  readonly maxDelay: Duration;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelay: { ms: 1000 }, maxDelay: { ms: 300_000 } };

/** A receiver's `Retry-After` longer than this fails the delivery instead of holding it. */
export const MAX_RETRY_AFTER: Duration = { ms: 3_600_000 };

/**
 * The wait after failed attempt `attempt` (1-based): exponential, capped, with "equal jitter"
 * (half fixed, half random) so many deliveries failing together do not retry in lockstep.
 */
export function backoff(policy: RetryPolicy, attempt: number, random: () => number): Duration {
  const base = Math.min(policy.maxDelay.ms, policy.initialDelay.ms * 2 ** Math.max(0, attempt - 1));
  return { ms: Math.round(base / 2 + random() * (base / 2)) };
}
