import type { Duration } from '@gantry/core';
import type { ResolvedDeps } from './deps.js';
import { CheckCancelledError } from './errors.js';

/** How one attempt of a check went. */
export interface AttemptOutcome<E> {
  readonly ok: boolean;
  readonly reason: string;
  readonly evidence: E;
}

export interface AttemptPlan {
  readonly name: string;
  readonly retries: number;
  readonly interval: Duration;
}

/**
 * Runs attempts until one passes or `retries + 1` have failed, sleeping `interval`
 * between them. Returns the deciding attempt (the passing one or the last) and the count.
 * @throws CheckCancelledError when the signal aborts, between or during attempts.
 */
export async function runAttempts<E>(
  plan: AttemptPlan,
  deps: ResolvedDeps,
  attempt: (n: number) => Promise<AttemptOutcome<E>>,
): Promise<{ outcome: AttemptOutcome<E>; attempts: number }> {
  const max = plan.retries + 1;
  for (let n = 1; ; n++) {
    throwIfCancelled(plan.name, deps.signal);
    const outcome = await attempt(n);
    if (outcome.ok || n >= max) return { outcome, attempts: n };
    try {
      await deps.sleep(plan.interval, deps.signal);
    } catch (e) {
      throwIfCancelled(plan.name, deps.signal);
      throw e;
    }
  }
}

export function throwIfCancelled(name: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CheckCancelledError(name, signal.reason);
}

/**
 * A signal for one attempt: aborts at the attempt's timeout or with the check's signal.
 * `timedOut()` tells the two apart afterwards.
 */
export function attemptSignal(timeout: Duration, outer: AbortSignal | undefined) {
  const timer = AbortSignal.timeout(Math.max(1, timeout.ms));
  return {
    signal: outer ? AbortSignal.any([outer, timer]) : timer,
    timedOut: () => timer.aborted && !outer?.aborted,
  };
}

/** `ECONNREFUSED`, `ENOTFOUND`, ... from a failed `fetch`, with a readable message. */
export function describeFetchError(e: unknown): { code: string; message: string } {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = typeof cause?.message === 'string' ? cause.message : String((e as Error).message ?? e);
  const readable: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    ECONNRESET: 'connection reset',
    EAI_AGAIN: 'name resolution failed',
    UND_ERR_SOCKET: 'connection closed',
    UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  };
  return { code: code ?? 'fetch_failed', message: code && readable[code] ? `${readable[code]} (${code})` : message };
}

/** Reads at most `max` bytes of a response body, then stops reading. */
export async function readBody(res: Response, max: number): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= max) {
      truncated = size > max;
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return { text: Buffer.concat(chunks).subarray(0, max).toString('utf8'), truncated };
}
