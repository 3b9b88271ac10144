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

function once(
  method: ReadMethod,
  url: URL,
  headers: OutgoingHttpHeaders,
  signal: AbortSignal | undefined,
  follow: boolean,
): Promise<Answer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  // shaped as fetch fails, so callers read the network error's code from `cause` either way
  const failed = (e: Error) => (signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: e }));
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ...(signal ? { signal } : {}) }, (res) => {
      res.on('error', (e) => reject(failed(e)));
      const location = res.headers.location;
      const next = follow && REDIRECTS.has(res.statusCode ?? 0) && location ? new URL(location, url) : undefined;
      // once the answer has ended, its socket is back in the agent's pool
      if (next || method === 'HEAD') {
        res.on('end', () => resolve({ res, ...(next ? { next } : {}) }));
        res.resume();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ res, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) }));
    });
    req.on('error', (e) => reject(failed(e)));
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
 */
export async function nodeRequest(
  method: ReadMethod,
  url: URL,
  headers: Readonly<Record<string, string>>,
  signal?: AbortSignal,
): Promise<BufferedResponse> {
  let at = url;
  let sent: Record<string, string> = { ...headers };
  for (let hops = 0; ; hops++) {
    const { res, next, body: read } = await once(method, at, sent, signal, hops < MAX_REDIRECTS);
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
