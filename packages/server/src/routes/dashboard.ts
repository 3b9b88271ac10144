import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppEnv } from '../context.js';

/** Set (true) by the `gantry` package's build: the code runs from its dist/ directory. */
declare const __GANTRY_BUNDLE__: boolean | undefined;

/**
 * Where the dashboard is: from the sources, where `npm run build` writes it (packages/ui/dist);
 * in the published package, dist/dashboard beside the bundle.
 */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(
  typeof __GANTRY_BUNDLE__ !== 'undefined' && __GANTRY_BUNDLE__
    ? new URL('./dashboard/', import.meta.url)
    : new URL('../../../ui/dist/', import.meta.url),
);

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Paths that belong to the API and the probes: never answered with the dashboard. */
const NOT_DASHBOARD = /^\/(api|healthz|readyz|metrics)(\/|$)/;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gantry</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Gantry</h1>
<p>The dashboard is not built. Run <code>npm run build</code> in the Gantry repository and reload.</p>
<p>The API works without it: see <a href="/api/openapi.json">/api/openapi.json</a>.</p>
</body></html>
`;

interface Asset {
  readonly body: Uint8Array;
  readonly type: string;
}

/**
 * The dashboard's static files: hashed assets cached for good, every other non-API path
 * answered with index.html (the app routes in the browser). Without a build the server
 * still runs and `/` says how to build the dashboard.
 */
export function dashboardRoutes(o: { dir?: string } = {}): Hono<AppEnv> {
  const dir = resolve(o.dir ?? DEFAULT_DASHBOARD_DIR);
  const cache = new Map<string, Asset>();
  const load = async (file: string): Promise<Asset | undefined> => {
    const hit = cache.get(file);
    if (hit) return hit;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const asset = {
      body: new Uint8Array(await readFile(file)),
      type: TYPES[extname(file)] ?? 'application/octet-stream',
    };
    // index.html is read again on each request: a rebuild must not need a restart
    if (!file.endsWith('index.html')) cache.set(file, asset);
    return asset;
  };

  const app = new Hono<AppEnv>();
  app.get('*', async (c, next) => {
    const path = decodeURIComponent(c.req.path);
    if (NOT_DASHBOARD.test(path)) return next();
    const file = resolve(join(dir, path));
    if (path.startsWith('/assets/')) {
      const asset = file.startsWith(dir + sep) ? await load(file) : undefined;
      if (!asset) return next();
      return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
        'content-type': asset.type,
        'cache-control': 'public, max-age=31536000, immutable',
      });
    }
    if (file.startsWith(dir + sep) && extname(path) !== '' && extname(path) !== '.html') {
      const asset = await load(file);
      if (asset) return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': asset.type });
    }
    const index = await load(join(dir, 'index.html'));
    if (!index) return c.html(NOT_BUILT, path === '/' ? 200 : 404);
    return c.body(index.body as Uint8Array<ArrayBuffer>, 200, {
      'content-type': index.type,
      'cache-control': 'no-cache',
    });
  });
  return app;
}
