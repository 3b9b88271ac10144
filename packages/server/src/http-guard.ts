import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  CrossOriginRefusedError,
  HostNotAllowedError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from './http-guard-errors.js';
import type { OpenMode } from './open-mode.js';

/**
 * What stands between the network and the routes: the Host an open server answers to (DNS
 * rebinding), what a mutating request must carry (cross-site requests), and how large a body
 * may be (read no further than the limit). See docs/api.md "Requests the server refuses".
 */

/** API request bodies: promotions and plans are small JSON documents. */
export const DEFAULT_API_MAX_BODY_BYTES = 1024 * 1024;
/** Webhook bodies: a Git push with many commits is larger than an API call (GitHub caps at 25 MB). */
export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 5 * 1024 * 1024;

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The names a tokenless server answers to: loopback addresses an attacker's DNS cannot rebind. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

interface HostPort {
  readonly hostname: string;
  readonly port: string | undefined;
}

/** `example.com:8080`, `[::1]:8080`, `localhost` -> hostname (lower case, IPv6 in brackets) and port. */
export function parseHost(host: string): HostPort | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]/@\s]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  return m?.[1] ? { hostname: m[1].toLowerCase(), port: m[2] } : undefined;
}

export function isLoopbackHost(host: string): boolean {
  const h = parseHost(host);
  return h !== undefined && LOOPBACK_HOSTS.has(h.hostname);
}

/** The Host the client asked for (`app.request()` in tests sends none: its URL's host then). */
export function requestHost(c: Context): string {
  return c.req.header('host') ?? new URL(c.req.url).host;
}

/**
 * While the server is open (no token exists), every request must name a loopback Host:
 * a page on `evil.example` whose DNS answer flips to 127.0.0.1 sends `Host: evil.example`.
 * With tokens, any Host is answered: the token, not the name, admits a caller.
 */
export function hostGuard(mode: OpenMode): MiddlewareHandler {
  return async (c, next) => {
    if (mode.open && (await mode.check())) {
      const host = requestHost(c);
      if (!isLoopbackHost(host)) throw new HostNotAllowedError(host);
    }
    return next();
  };
}

const isJson = (contentType: string | undefined) => {
  const media = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return media === 'application/json' || /^application\/[^/\s]+\+json$/.test(media);
};

/** Whether `origin` is the scheme-less authority the request was sent to (the Host, or the proxy's X-Forwarded-Host). */
function sameOrigin(origin: string, authorities: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null` (sandboxed frames, file: pages) and garbage are never this server
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  const port = url.port || defaultPort;
  return authorities.some((a) => {
    const h = parseHost(a);
    // a Host without a port means the scheme's default, which is the origin's if it is the same origin
    return h !== undefined && h.hostname === url.hostname.toLowerCase() && (h.port ?? defaultPort) === port;
  });
}

/**
 * Mutating requests (POST, PUT, PATCH, DELETE) must be ones a cross-site page cannot send
 * without a CORS preflight, which Gantry never grants: a JSON content type, or a header no
 * form or simple request carries (`X-Gantry-Request`, or `Authorization` with a token). An
 * `Origin`, when sent, must be this server's own. Webhooks (signed by their sender, who
 * chooses the content type) are exempt from the content-type rule.
 */
export function requestOriginGuard(o: { isWebhook(path: string): boolean }): MiddlewareHandler {
  return async (c, next) => {
    if (!MUTATING.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const host = requestHost(c);
      const forwarded = c.req.header('x-forwarded-host')?.split(',')[0]?.trim();
      if (!sameOrigin(origin, forwarded ? [host, forwarded] : [host])) throw new CrossOriginRefusedError(origin, host);
    }
    const contentType = c.req.header('content-type');
    const preflighted =
      isJson(contentType) ||
      c.req.header('x-gantry-request') !== undefined ||
      c.req.header('authorization') !== undefined;
    if (!preflighted && !o.isWebhook(c.req.path)) throw new UnsupportedMediaTypeError(c.req.method, contentType);
    return next();
  };
}

/**
 * A body limit on every route, enforced while reading: a declared `Content-Length` over the
 * limit is refused before a byte of the body is read, a chunked body as soon as it passes it.
 */
export function bodyLimits(o: { api: number; webhooks: number; isWebhook(path: string): boolean }): MiddlewareHandler {
  const limit = (maxSize: number, route: 'api' | 'webhook') =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new PayloadTooLargeError(maxSize, route);
      },
    });
  const api = limit(o.api, 'api');
  const webhooks = limit(o.webhooks, 'webhook');
  return (c, next) => (o.isWebhook(c.req.path) ? webhooks : api)(c, next);
}

/** How much more of a refused body is read, at most, while the refusal reaches the client. */
const LINGER = { bytes: 2 * 1024 * 1024, ms: 1000 };

const hasBody = (incoming: HttpBindings['incoming']) =>
  incoming.headers['transfer-encoding'] !== undefined || Number(incoming.headers['content-length'] ?? 0) > 0;

/**
 * An error answered before the request body was read ends the connection (`Connection:
 * close`) instead of keeping it alive: otherwise the HTTP server would read (and discard) the
 * rest of the body, up to tens of megabytes, just to reuse the socket. Closing at once is not
 * right either: a socket closed with unread data resets the connection, and the client may
 * lose the answer. So it closes as web servers do (a "lingering close"): answer, stop
 * sending, discard what still arrives until the client hangs up, the body ends, 2 MiB more
 * arrived or a second passed.
 */
export const closeUnreadOnError: MiddlewareHandler = async (c, next) => {
  await next();
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (c.res.status < 400 || !incoming || incoming.readableEnded || !hasBody(incoming)) return;
  c.res.headers.set('connection', 'close');
  // Node ends a `Connection: close` socket with destroySoon once the answer is written
  incoming.socket.destroySoon = () => lingeringClose(incoming);
};

function lingeringClose(incoming: HttpBindings['incoming']): void {
  const socket = incoming.socket;
  if (socket.destroyed) return;
  let extra = 0;
  // never before the answer has left: destroying a socket drops what it has not yet written
  const close = () => {
    clearTimeout(timer);
    if (socket.writableFinished) socket.destroy();
    else socket.once('finish', () => socket.destroy());
  };
  const timer = setTimeout(close, LINGER.ms);
  timer.unref();
  incoming.on('data', (chunk: Buffer) => {
    extra += chunk.length;
    if (extra > LINGER.bytes) close();
  });
  incoming.once('end', close);
  socket.once('end', close);
  socket.end();
  incoming.resume();
}
