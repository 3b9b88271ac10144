import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** As many redirects as fetch follows. */
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function once(url: URL, headers: OutgoingHttpHeaders, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'HEAD', headers, ...(signal ? { signal } : {}) }, (res) => {
      // a HEAD answer has no body; once it has ended the socket is back in the agent's pool
      res.on('end', () => resolve(res));
      res.resume();
    });
    // shaped as fetch fails, so callers read the network error's code from `cause` either way
    req.on('error', (e) => reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: e })));
    req.end();
  });
}

/**
 * A HEAD request through Node's keep-alive agent, answered as a fetch `Response` (no body).
 * fetch (undici) closes the connection after every HEAD, so a round of 10,000 tag checks
 * opened 10,000 connections (and TLS handshakes) to the registry; here they reuse a few.
 * Redirects are followed as fetch follows them, credentials dropped when the origin changes.
 */
export async function headRequest(
  url: URL,
  headers: Readonly<Record<string, string>>,
  signal?: AbortSignal,
): Promise<Response> {
  let at = url;
  let sent: Record<string, string> = { ...headers };
  for (let hops = 0; ; hops++) {
    const res = await once(at, sent, signal);
    const location = res.headers.location;
    if (REDIRECTS.has(res.statusCode ?? 0) && location && hops < MAX_REDIRECTS) {
      const next = new URL(location, at);
      if (next.origin !== at.origin) {
        const { authorization: _a, ...rest } = sent;
        sent = rest;
      }
      at = next;
      continue;
    }
    const answer = new Headers();
    for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
      answer.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
    return new Response(null, { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: answer });
  }
}
