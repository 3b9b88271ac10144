import type { Duration, Logger } from '@gantry/core';
import { SourceError } from '@gantry/core';
import type { Authenticator } from './auth.js';
import type { Clock, RequestBudget } from './budget.js';
import { BudgetPausedError } from './budget.js';
import { nodeRequest, RequestTimeoutError } from './node-request.js';
import type { RetryPolicy } from './retry.js';
import { backoffMs, retryAfterMs } from './retry.js';
import { parseWwwAuthenticate } from './www-authenticate.js';
import type { RegistryResponse } from './registry-response.js';

/** A shared request counter, for benchmarks (`Registries.stats()`). */
export interface RequestCounter {
  /** Every request sent (a retry is one more). */
  requests: number;
  /** Of them, answered `304 Not Modified`: cheap, no body, and not a pull on registries that count pulls. */
  notModified?: number;
  /** Of them, answered 429 or 503. */
  rateLimited?: number;
}

/** A host asked to wait (429/503): nothing goes to it before `until`. */
export interface RateLimitNotice {
  readonly registry: string;
  readonly until: Date;
  readonly status: number;
}

export interface HttpOptions {
  readonly registry: string;
  readonly timeout: Duration;
  readonly counter: RequestCounter;
  readonly logger: Logger;
  /**
   * The host's request budget (requests/s and in flight, shared by every registry on the host):
   * a status over many phases must neither open hundreds of sockets nor exceed what the host allows.
   */
  readonly budget: RequestBudget;
  readonly clock: Clock;
  readonly retry: RetryPolicy;
  /** Jitter of the back-off; tests pass a fixed one. */
  readonly random?: () => number;
  /** Told each time the host asks to wait, before the request waits (phases show it meanwhile). */
  readonly onRateLimited?: (notice: RateLimitNotice) => void;
}

export interface RegistryRequest {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  readonly url: URL;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array;
  /** Token scope, e.g. `repository:team/app:pull`; `undefined` sends no credentials. */
  readonly scope?: string;
  readonly signal?: AbortSignal;
}

/** What the caller shows for a URL: no query (upload state), never credentials. */
export const displayUrl = (url: URL): string => `${url.origin}${url.pathname}`;

const rateLimited = (o: HttpOptions, url: URL, until: number, status: number | undefined, why: string) =>
  new SourceError(
    'registry_rate_limited',
    `registry ${o.registry} is rate-limiting requests until ${new Date(until).toISOString()} (${why})`,
    { registry: o.registry, url: displayUrl(url), until: new Date(until).toISOString(), ...(status ? { status } : {}) },
  );

/**
 * One HTTP exchange within the host's budget, with timeout, counting and error mapping: a
 * connection that fails is `registry_unreachable`, one that times out `registry_timeout`
 * (naming the URL). A 429 or 503 pauses the host until its `Retry-After` (or an exponential
 * back-off with jitter, whichever is later) and the request is tried again, `retry.attempts`
 * tries in all; a host asking to wait longer than `retry.maxWait`, or still refusing after
 * the last try, is `registry_rate_limited` with the time it named. The caller's own abort is
 * passed through as is.
 */
export async function send(
  o: HttpOptions,
  url: URL,
  init: RequestInit,
  signal?: AbortSignal,
): Promise<RegistryResponse> {
  for (let attempt = 1; ; attempt++) {
    let res: RegistryResponse;
    try {
      res = await o.budget.run(() => sendNow(o, url, init, signal), {
        ...(signal ? { signal } : {}),
        maxPauseMs: o.retry.maxWait.ms,
      });
    } catch (e) {
      if (e instanceof BudgetPausedError) throw rateLimited(o, url, e.until, undefined, 'asked earlier to wait');
      throw e;
    }
    if (res.status === 304) o.counter.notModified = (o.counter.notModified ?? 0) + 1;
    if (res.status !== 429 && res.status !== 503) return res;
    o.counter.rateLimited = (o.counter.rateLimited ?? 0) + 1;
    await res.body?.cancel();
    const now = o.clock.now();
    const asked = retryAfterMs(res.headers.get('retry-after'), now);
    const wait = Math.max(asked ?? 0, backoffMs(attempt, o.retry, o.random));
    const until = now + wait;
    o.budget.pause(until);
    o.onRateLimited?.({ registry: o.registry, until: new Date(until), status: res.status });
    const why = `HTTP ${res.status}${asked !== undefined ? `, Retry-After ${Math.ceil(asked / 1000)} s` : ''}`;
    if (wait > o.retry.maxWait.ms || attempt >= o.retry.attempts) throw rateLimited(o, url, until, res.status, why);
    o.logger.warn(
      { url: displayUrl(url), status: res.status, until: new Date(until).toISOString(), attempt },
      'registry asks to wait; trying again then',
    );
  }
}

const plainHeaders = (h: RequestInit['headers']): Record<string, string> =>
  h === undefined
    ? {}
    : h instanceof Headers || Array.isArray(h)
      ? Object.fromEntries(new Headers(h))
      : (h as Record<string, string>);

async function sendNow(o: HttpOptions, url: URL, init: RequestInit, signal?: AbortSignal): Promise<RegistryResponse> {
  o.counter.requests++;
  const method = init.method ?? 'GET';
  // reads go through Node's kept-alive agent (node-request.ts), answered whole, with a timer of
  // their own; uploads through fetch, whose answer may stream on under a timeout signal
  const read = (method === 'GET' || method === 'HEAD') && init.body === undefined;
  const timeout = read ? undefined : AbortSignal.timeout(o.timeout.ms);
  const started = performance.now();
  try {
    const res = read
      ? await nodeRequest(method, url, plainHeaders(init.headers), { signal, timeoutMs: o.timeout.ms })
      : await fetch(url, {
          ...init,
          signal: signal && timeout ? AbortSignal.any([timeout, signal]) : timeout,
          redirect: 'follow',
        });
    o.logger.debug(
      {
        method,
        url: displayUrl(url),
        status: res.status,
        ms: Math.round(performance.now() - started),
      },
      'registry request',
    );
    return res;
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    const timedOut = e instanceof RequestTimeoutError || timeout?.aborted === true;
    const cause = (e as { cause?: { code?: string } }).cause;
    const why = timedOut ? `timed out after ${o.timeout.ms} ms` : (cause?.code ?? (e as Error).message);
    throw new SourceError(
      timedOut ? 'registry_timeout' : 'registry_unreachable',
      `registry ${o.registry} is unreachable at ${displayUrl(url)}: ${why}`,
      { registry: o.registry, url: displayUrl(url), ...(timedOut ? { timeout: o.timeout } : {}) },
      { cause: e },
    );
  }
}

/**
 * A request that answers the registry's auth challenge: credentials known for the
 * scope go with the first try; on a 401 the challenge is answered and the request is
 * sent once more. The final response is returned whatever its status.
 */
export async function authorizedRequest(
  o: HttpOptions,
  auth: Authenticator,
  req: RegistryRequest,
): Promise<RegistryResponse> {
  const attempt = (authorization: string | undefined) =>
    send(
      o,
      req.url,
      {
        method: req.method,
        headers: { ...req.headers, ...(authorization ? { authorization } : {}) },
        ...(req.body ? { body: req.body } : {}),
      },
      req.signal,
    );
  const first = await attempt(req.scope === undefined ? undefined : await auth.authorization(req.scope, req.signal));
  if (first.status !== 401 || req.scope === undefined) return first;
  const challenges = parseWwwAuthenticate(first.headers.get('www-authenticate') ?? '');
  const retry = await auth.answer(challenges, req.scope, req.signal);
  if (retry === undefined) return first;
  await first.body?.cancel();
  return attempt(retry);
}

/** The first `errors[]` entry of a Distribution error body, for messages: `MANIFEST_UNKNOWN: manifest unknown`. */
export async function registryErrorDetail(res: RegistryResponse): Promise<string | undefined> {
  if (res.bodyUsed || res.body === null) return undefined;
  const text = await res.text().catch(() => '');
  try {
    const json = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] };
    const first = json.errors?.[0];
    if (first && typeof first.code === 'string') {
      return typeof first.message === 'string' ? `${first.code}: ${first.message}` : first.code;
    }
  } catch {
    // not a Distribution error body
  }
  return undefined;
}
