import type { Duration, Logger } from '@gantry/core';
import { SourceError } from '@gantry/core';
import type { Authenticator } from './auth.js';
import type { Limiter } from './limit.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

/** A shared request counter, for benchmarks (`Registries.stats()`). */
export interface RequestCounter {
  requests: number;
}

export interface HttpOptions {
  readonly registry: string;
  readonly timeout: Duration;
  readonly counter: RequestCounter;
  readonly logger: Logger;
  /** Requests in flight to this registry at most; a status over many phases must not open hundreds of sockets. */
  readonly limit: Limiter;
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

/**
 * One HTTP exchange with timeout, counting and error mapping: a connection that
 * fails is `registry_unreachable`, one that times out `registry_timeout` (naming the URL). The caller's own
 * abort is passed through as is.
 */
export function send(o: HttpOptions, url: URL, init: RequestInit, signal?: AbortSignal): Promise<Response> {
  return o.limit.run(() => sendNow(o, url, init, signal));
}

async function sendNow(o: HttpOptions, url: URL, init: RequestInit, signal?: AbortSignal): Promise<Response> {
  o.counter.requests++;
  const timeout = AbortSignal.timeout(o.timeout.ms);
  const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
  const started = performance.now();
  try {
    const res = await fetch(url, { ...init, signal: combined, redirect: 'follow' });
    o.logger.debug(
      {
        method: init.method ?? 'GET',
        url: displayUrl(url),
        status: res.status,
        ms: Math.round(performance.now() - started),
      },
      'registry request',
    );
    return res;
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    const timedOut = timeout.aborted;
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
export async function authorizedRequest(o: HttpOptions, auth: Authenticator, req: RegistryRequest): Promise<Response> {
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
export async function registryErrorDetail(res: Response): Promise<string | undefined> {
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
