import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegistryProxyOptions {
  /** Page `tags/list` as the spec says (sorted, `n` and `last`, `Link: <...>; rel="next"`). */
  readonly paginateTags?: boolean;
  /** Response headers to leave out, e.g. `docker-content-digest` (optional in the spec). */
  readonly dropHeaders?: readonly string[];
  /**
   * Repositories served by another registry behind the same host: requests under
   * `/v2/<prefix>` go to `upstream` (one host whose repositories differ in auth, as a
   * registry with public and private projects does).
   */
  readonly routes?: readonly { readonly prefix: string; readonly upstream: string }[];
  /**
   * Holds the response to a request until the promise it returns settles; the upstream has
   * already answered by then (a request that began before a change, answered after it).
   */
  readonly hold?: (request: { readonly method: string; readonly path: string }) => Promise<void> | undefined;
}

/**
 * A pass-through proxy in front of the real registry, for the parts of the spec that
 * Debian's docker-registry (Distribution 2.8) does not exercise: it ignores `?n=` on
 * `tags/list` and never sends `Link` (tag pagination came with Distribution 3), and it
 * always sends `Docker-Content-Digest`, which registries may omit. It can also put
 * several registries behind one host (`routes`).
 */
export async function startRegistryProxy(
  upstream: string,
  options: RegistryProxyOptions = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const dropped = new Set(['content-encoding', 'transfer-encoding', 'connection', ...(options.dropHeaders ?? [])]);
  const body = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
  const upstreamOf = (path: string) =>
    options.routes?.find((r) => path.startsWith(`/v2/${r.prefix}`))?.upstream ?? upstream;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', upstreamOf(new URL(req.url ?? '/', upstream).pathname));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host') headers[k] = v;
    const tagList = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    const n = url.searchParams.get('n');
    if (options.paginateTags && req.method === 'GET' && tagList && n !== null) {
      const last = url.searchParams.get('last');
      const up = await fetch(new URL(url.pathname, url.origin), { headers });
      if (!up.ok) {
        res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'text/plain' });
        res.end(Buffer.from(await up.arrayBuffer()));
        return;
      }
      const all = ((await up.json()) as { tags?: string[] }).tags ?? [];
      const after = all.sort().filter((t) => last === null || t > last);
      const page = after.slice(0, Number(n));
      const more = after.length > page.length && page.length > 0;
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(more
          ? { link: `<${url.pathname}?n=${n}&last=${encodeURIComponent(page.at(-1) as string)}>; rel="next"` }
          : {}),
      });
      res.end(JSON.stringify({ name: tagList[1], tags: page }));
      return;
    }
    const payload = req.method === 'GET' || req.method === 'HEAD' ? undefined : await body(req);
    const up = await fetch(url, {
      method: req.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(payload ? { body: payload } : {}),
    });
    const out: Record<string, string> = {};
    up.headers.forEach((v, k) => {
      if (!dropped.has(k)) out[k] = v;
    });
    const answer = req.method === 'HEAD' ? undefined : Buffer.from(await up.arrayBuffer());
    await options.hold?.({ method: req.method ?? 'GET', path: url.pathname });
    res.writeHead(up.status, out);
    res.end(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
