import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BufferedResponse } from './registry-response.js';

/** As many redirects as fetch follows. */
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The methods sent this way: reads, which carry no body. */
export type ReadMethod = 'GET' | 'HEAD';

interface Answer {
  readonly res: IncomingMessage;
  /** Where it redirects to, when it is a redirect that is followed (its own body is not read). */
  readonly next?: URL;
  readonly body?: Buffer;
}

/** The request ran out of time (`timeoutMs` over all its redirects). */
export class RequestTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** How a request ends early: the caller's signal, and a deadline (ms since the epoch). */
interface Limits {
  readonly signal: AbortSignal | undefined;
  readonly deadline: number | undefined;
  readonly timeoutMs: number | undefined;
}

function once(
  method: ReadMethod,
  url: URL,
  headers: OutgoingHttpHeaders,
  limits: Limits,
  follow: boolean,
): Promise<Answer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const { signal, deadline, timeoutMs } = limits;
  // shaped as fetch fails, so callers read the network error's code from `cause` either way
  // the deadline passed (the request, or its answer's body, then fails with whatever error)
  let expired = false;
  const failed = (e: Error) =>
    signal?.aborted
      ? signal.reason
      : expired
        ? new RequestTimeoutError(timeoutMs ?? 0)
        : new TypeError('fetch failed', { cause: e });
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const req = request(url, { method, headers }, (res) => {
      res.on('error', (e) => fail(e));
      const location = res.headers.location;
      const next = follow && REDIRECTS.has(res.statusCode ?? 0) && location ? new URL(location, url) : undefined;
      // once the answer has ended, its socket is back in the agent's pool
      if (next || method === 'HEAD') {
        res.on('end', () => done({ res, ...(next ? { next } : {}) }));
        res.resume();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ res, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) }));
    });
    // a timer and a listener of our own, both let go at the end: passing the signal to the
    // request (and a timeout signal per request) cost ~65 µs a request in abort bookkeeping
    const timer =
      deadline === undefined
        ? undefined
        : setTimeout(
            () => {
              expired = true;
              req.destroy(new RequestTimeoutError(timeoutMs ?? 0));
            },
            Math.max(0, deadline - Date.now()),
          );
    const onAbort = () => req.destroy(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const done = (a: Answer) => {
      settle();
      resolve(a);
    };
    const fail = (e: Error) => {
      settle();
      reject(failed(e));
    };
    req.on('error', fail);
    req.end();
  });
}

/**
 * A GET or HEAD through Node's keep-alive agent, its answer read whole (manifests, tag lists,
 * tokens and image configs are small) into a `BufferedResponse`. fetch (undici) closed the
 * connection after every HEAD, so a round of 10,000 tag checks opened 10,000 connections (and
 * TLS handshakes) to the registry; here they reuse a few. A fetch also costs several times the
 * CPU of this, which at a fleet's first observation (a GET per image) adds up to seconds.
 * Redirects are followed as fetch follows them, credentials dropped when the origin changes.
 * `timeoutMs` bounds the whole exchange (`RequestTimeoutError`); the caller's `signal` ends it
 * with the signal's reason.
 */
export async function nodeRequest(
  method: ReadMethod,
  url: URL,
  headers: Readonly<Record<string, string>>,
  options: { readonly signal?: AbortSignal | undefined; readonly timeoutMs?: number } = {},
): Promise<BufferedResponse> {
  const { signal, timeoutMs } = options;
  const limits: Limits = { signal, timeoutMs, deadline: timeoutMs === undefined ? undefined : Date.now() + timeoutMs };
  let at = url;
  let sent: Record<string, string> = { ...headers };
  for (let hops = 0; ; hops++) {
    const { res, next, body: read } = await once(method, at, sent, limits, hops < MAX_REDIRECTS);
    if (next) {
      if (next.origin !== at.origin) {
        const { authorization: _a, ...rest } = sent;
        sent = rest;
      }
      at = next;
      continue;
    }
    const status = res.statusCode ?? 0;
    // a 204 or 304 carries no body, whatever was sent
    const body = status === 204 || status === 304 ? undefined : read;
    return new BufferedResponse(status, res.statusMessage ?? '', res.rawHeaders, body);
  }
}
