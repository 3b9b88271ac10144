/**
 * Dashboard figures (issue 4): JavaScript size of the built dashboard (gzip), and the time
 * from navigation to the first overview rows with 1,000 pipelines x 3 phases, in headless
 * Chromium. The server is the real app (`createApp`) over a generated fleet held in memory,
 * so the figure is the dashboard's, not Git's. BENCH_DEBUG=1 prints each run's resource timings.
 */
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { silentLogger } from '@gantry/core';
import type { ApiPipelineStatus, ServerDeps } from '@gantry/server';
import { createApp, createEventBus, createMetrics } from '@gantry/server';
import { serve } from '@hono/node-server';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { median, row } from './sh.js';

const UI = fileURLToPath(new URL('../packages/ui/', import.meta.url));
const PIPELINES = Number(process.env.BENCH_UI_PIPELINES ?? 1000);
const RUNS = Number(process.env.BENCH_UI_RUNS ?? 7);
const KB = 1024;

const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtKb = (bytes: number): string => `${(bytes / KB).toFixed(1)} KB`;

const hex = (n: number, len: number) => n.toString(16).padStart(len, '0').slice(-len);
const digest = (n: number) => `sha256:${hex(n * 2654435761, 8).repeat(8)}`;

/** A fleet as the API lists it: every pipeline oci -> staging -> production, one in seven behind. */
export function generateFleet(count: number): ApiPipelineStatus[] {
  const teams = ['payments', 'search', 'web', 'platform', 'data'];
  return Array.from({ length: count }, (_, i) => {
    const name = `service-${String(i).padStart(4, '0')}`;
    const behind = i % 7 === 0;
    const head = digest(i + 1);
    const deployed = behind ? digest(i + 100_000) : head;
    const short = (d: string) => d.slice(7, 19);
    const phase = (phase: string, state: 'source' | 'in-sync' | 'behind', d: string, up?: string) => ({
      pipeline: name,
      phase,
      labels: (phase === 'oci' ? {} : { environment: phase }) as Record<string, string>,
      source: phase === 'oci' ? `oci registry/${name}:latest` : `git config:apps/${name}/${phase}.yaml`,
      writable: phase !== 'oci',
      state,
      resource: { kind: 'oci-image', repository: `registry.example.com/${name}`, digest: d },
      digest: d,
      version: `${name}@${short(d)}`,
      age: { ms: (i % 90) * 3_600_000 },
      upstreams: up
        ? [{ phase: up, digest: head, version: `${name}@${short(head)}`, inSync: state === 'in-sync' }]
        : [],
    });
    return {
      pipeline: name,
      labels: { team: teams[i % teams.length] ?? 'web' },
      phases: [
        phase('oci', 'source', head),
        phase('staging', behind ? 'behind' : 'in-sync', deployed, 'oci'),
        phase('production', behind ? 'behind' : 'in-sync', deployed, 'staging'),
      ],
    };
  });
}

/** The real app with only what the overview touches (list, /me, events); the rest must not be reached. */
function fleetDeps(json: string): ServerDeps {
  const unused = new Proxy(
    {},
    {
      get(_, key) {
        throw new Error(`ui bench: the overview reached an unexpected dependency (${String(key)})`);
      },
    },
  );
  return {
    engine: unused as ServerDeps['engine'],
    // the overview asks which pins and pauses are in force: none in the generated fleet
    store: new Proxy(
      { activeHolds: async () => [] },
      {
        get(target, key) {
          if (key in target) return target[key as keyof typeof target];
          throw new Error(`ui bench: the overview reached an unexpected store call (${String(key)})`);
        },
      },
    ) as unknown as ServerDeps['store'],
    promotions: unused as ServerDeps['promotions'],
    webhooks: unused as ServerDeps['webhooks'],
    state: {
      list: () => [],
      listJson: () => json,
      listBody: () => ({ json, gzip: gzipSync(json), etag: '"bench"' }),
      get: () => undefined,
      observedAt: new Date(),
      refresh: async () => [],
    },
    bus: createEventBus(),
    metrics: createMetrics({ defaultMetrics: false }),
    logger: silentLogger,
    permissions: [],
    open: true,
    ready: () => true,
  };
}

/** The dashboard and API over a generated fleet on a free port (also handy to look at by hand). */
export async function serveFleet(count: number): Promise<{ url: string; close(): Promise<void> }> {
  const json = JSON.stringify({ pipelines: generateFleet(count), observedAt: new Date().toISOString() });
  const app = createApp(fleetDeps(json));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function jsSizes(): Promise<{ entry: string[]; all: Map<string, number> }> {
  const dist = join(UI, 'dist');
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const entry = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  const all = new Map<string, number>();
  for (const f of await readdir(join(dist, 'assets'))) {
    if (f.endsWith('.js')) all.set(`assets/${f}`, gzipSync(await readFile(join(dist, 'assets', f))).length);
  }
  return { entry, all };
}

export async function uiBench(): Promise<void> {
  console.log(`\ndashboard: build, JavaScript size, overview of ${PIPELINES} pipelines x 3 phases (median of ${RUNS})`);
  await build({ configFile: join(UI, 'vite.config.ts'), logLevel: 'warn' });
  const sizes = await jsSizes();

  const server = await serveFleet(PIPELINES);
  const url = server.url;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const rowsAt: number[] = [];
    const fcp: number[] = [];
    const loadedJs = new Set<string>();
    let domRows = 0;
    for (let r = 0; r < RUNS; r++) {
      // a fresh context each run: nothing cached
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.on('request', (req) => {
        const path = new URL(req.url()).pathname.slice(1);
        if (path.endsWith('.js')) loadedJs.add(path);
      });
      if (process.env.BENCH_DEBUG) {
        await page.addInitScript('globalThis.BENCH_DEBUG = true');
        page.on('console', (m) => console.log(m.text()));
      }
      await page.goto(url, { waitUntil: 'commit' });
      await page.locator('.rows .row').first().waitFor();
      const t = (await page.evaluate(`(async () => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const rows = performance.getEntriesByName('gantry:rows')[0];
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        if (globalThis.BENCH_DEBUG) console.log(JSON.stringify(performance.getEntriesByType('resource').map((e) => [e.name.slice(-30), Math.round(e.startTime), Math.round(e.responseEnd)])), JSON.stringify(performance.getEntriesByType('navigation').map((e) => [Math.round(e.responseEnd), Math.round(e.domContentLoadedEventEnd)])));
        return { rows: rows ? rows.startTime : NaN, fcp: paint ? paint.startTime : NaN, dom: document.querySelectorAll('.rows .row').length };
      })()`)) as { rows: number; fcp: number; dom: number };
      rowsAt.push(t.rows);
      fcp.push(t.fcp);
      domRows = t.dom;
      await context.close();
    }

    const overviewGz = [...loadedJs].reduce((sum, f) => sum + (sizes.all.get(f) ?? 0), 0);
    const allGz = [...sizes.all.values()].reduce((a, b) => a + b, 0);
    const lazy = [...sizes.all.keys()].filter((f) => !loadedJs.has(f));
    row('JS the overview loads (gzip)', fmtKb(overviewGz), `target < 250 KB; ${loadedJs.size} file(s)`);
    row('JS of all chunks (gzip)', fmtKb(allGz), `lazy: ${lazy.map((f) => f.replace('assets/', '')).join(', ')}`);
    row('first contentful paint', fmtMs(median(fcp)), `runs: ${fcp.map((m) => m.toFixed(0)).join(' ')}`);
    row(
      `first overview rows (${PIPELINES} pipelines)`,
      fmtMs(median(rowsAt)),
      `target < 1.5 s; runs: ${rowsAt.map((m) => m.toFixed(0)).join(' ')}`,
    );
    row('rows in the DOM (windowed)', String(domRows), `of ${PIPELINES}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

// `npx tsx bench/ui-bench.ts` runs this part alone
if (import.meta.url === `file://${process.argv[1]}`) {
  uiBench().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
