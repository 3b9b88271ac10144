import type { Duration } from '@gantry/core';

/** How a request answered 429 or 503 is tried again. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** The first back-off; each next one doubles (with jitter). */
  readonly base: Duration;
  /** A read waits this long at most for a host that asked to wait; a longer `Retry-After` fails it at once. */
  readonly maxWait: Duration;
}

/**
 * 4 tries, 1 s doubling, and no read waits more than 30 s: a reconcile gives up on a host that
 * asks for longer (Docker Hub's pull limit names hours) and shows the phases as rate-limited
 * until then, rather than holding every read of that registry.
 */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, base: { ms: 1000 }, maxWait: { ms: 30_000 } };

/**
 * `Retry-After` as milliseconds from `now`: delay-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`); `undefined` when absent or unreadable. A date in the past is 0.
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // an HTTP date names its day and month (Date.parse alone takes "-5" or "1.5" for dates)
  const at = /[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The back-off before try `attempt + 1` (attempt counts from 1): `base * 2^(attempt-1)`, of
 * which a random half, so that many clients turned away at once do not come back at once.
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const full = policy.base.ms * 2 ** (attempt - 1);
  return Math.round(full / 2 + (random() * full) / 2);
}
