import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy saw, with what it answered. */
export interface ProxiedRequest {
  readonly method: string;
  /** Path and query, e.g. `/v2/app/tags/list`. */
  readonly path: string;
  readonly status: number;
  /** When it arrived, by the proxy's clock (`now`). */
  readonly at: number;
  /** The `If-None-Match` it carried, if any. */
  readonly ifNoneMatch?: string;
}

export interface RateLimitingProxyOptions {
  /**
   * Which requests are refused, by their 1-based number among the requests under `/v2/`
   * (`/v2/` itself excluded): e.g. `(n) => n % 3 === 0` refuses every third. Default: none.
   */
  readonly refuse?: (n: number, request: { readonly method: string; readonly path: string }) => boolean;
  /** The refusal's status: 429 (default) or 503. */
  readonly status?: 429 | 503;
  /**
   * The `Retry-After` sent with a refusal: seconds (`2`), an HTTP date that many seconds from
   * `now` (`{ dateIn: 2 }`), or none. Default 1 second.
   */
  readonly retryAfter?: number | { readonly dateIn: number } | 'none';
  /** The proxy's clock, for `Retry-After` dates and request times; default `Date.now`. */
  readonly now?: () => number;
  /**
   * Give `tags/list` an ETag (a hash of the body) and answer `If-None-Match` with 304, as some
   * registries do and Debian's docker-registry (Distribution 2.8) does not.
   */
  readonly tagListEtags?: boolean;
}

export interface RateLimitingProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request under `/v2/`, in order of arrival. */
  readonly requests: readonly ProxiedRequest[];
  /** Requests answered with `status` (refused), 304 and the rest. */
  counts(): { total: number; refused: number; notModified: number; ok: number };
  /** Changes which requests are refused from now on (`undefined`: none). */
  setRefuse(refuse: RateLimitingProxyOptions['refuse']): void;
  stop(): Promise<void>;
}

const HOP_BY_HOP = new Set(['content-encoding', 'transfer-encoding', 'connection', 'keep-alive']);

const bodyOf = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * A proxy in front of a real registry that turns a chosen share of requests away with 429 (or
 * 503) and `Retry-After`, deterministically (by request number), and records every request with
 * its time by the given clock: what tests of back-off, budgets and conditional requests count.
 */
export async function startRateLimitingProxy(
  upstream: string,
  options: RateLimitingProxyOptions = {},
): Promise<RateLimitingProxy> {
  const now = options.now ?? Date.now;
  const requests: ProxiedRequest[] = [];
  let refuse = options.refuse;
  let n = 0;
  const refusal = options.status ?? 429;

  const record = (req: IncomingMessage, path: string, status: number, at: number) => {
    if (!path.startsWith('/v2/') || path === '/v2/') return;
    const inm = req.headers['if-none-match'];
    requests.push({
      method: req.method ?? 'GET',
      path,
      status,
      at,
      ...(typeof inm === 'string' ? { ifNoneMatch: inm } : {}),
    });
  };

  const retryAfter = (): Record<string, string> => {
    const r = options.retryAfter ?? 1;
    if (r === 'none') return {};
    if (typeof r === 'number') return { 'retry-after': String(r) };
    return { 'retry-after': new Date(now() + r.dateIn * 1000).toUTCString() };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    const at = now();
    const counted = path.startsWith('/v2/') && path !== '/v2/';
    if (counted && refuse?.(++n, { method, path })) {
      record(req, path, refusal, at);
      res.writeHead(refusal, { 'content-type': 'application/json', ...retryAfter() });
      res.end(
        method === 'HEAD' ? undefined : JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }),
      );
      return;
    }
    const url = new URL(path, upstream);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host') headers[k] = v;
    const payload = method === 'GET' || method === 'HEAD' ? undefined : await bodyOf(req);
    const up = await fetch(url, { method, headers, redirect: 'manual', ...(payload ? { body: payload } : {}) });
    const out: Record<string, string> = {};
    up.headers.forEach((v, k) => {
      if (!HOP_BY_HOP.has(k)) out[k] = v;
    });
    let answer = method === 'HEAD' ? undefined : Buffer.from(await up.arrayBuffer());
    let status = up.status;
    if (options.tagListEtags && method === 'GET' && up.status === 200 && /\/tags\/list$/.test(url.pathname) && answer) {
      const etag = `"${createHash('sha256').update(answer).digest('hex').slice(0, 32)}"`;
      out.etag = etag;
      if (req.headers['if-none-match'] === etag) {
        status = 304;
        answer = undefined;
        delete out['content-length'];
        delete out['content-type'];
      }
    }
    record(req, path, status, at);
    res.writeHead(status, out);
    res.end(answer);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    counts() {
      const refused = requests.filter((r) => r.status === refusal).length;
      const notModified = requests.filter((r) => r.status === 304).length;
      return { total: requests.length, refused, notModified, ok: requests.length - refused - notModified };
    },
    setRefuse(next) {
      refuse = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A TCP server that accepts connections and never answers: a registry or remote that hangs.
 * `accepted()` counts connections; `stop()` drops them.
 */
export async function startHangingServer(): Promise<{
  readonly url: string;
  accepted(): number;
  stop(): Promise<void>;
}> {
  const { createServer: createTcpServer } = await import('node:net');
  const sockets: import('node:net').Socket[] = [];
  const server = createTcpServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted: () => sockets.length,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
