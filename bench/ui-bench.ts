/**
 * Dashboard figures (issues 4 and 15): JavaScript size of the built dashboard (gzip); the time
 * from navigation to the first overview rows, a filter and a sort, with 1,000 and 10,000
 * pipelines x 3 phases side by side, in headless Chromium. The server is the real app and state
 * cache over a generated fleet (`fleet-api-bench.ts`), so the figure is the dashboard's and the
 * API's, not Git's. `BENCH_UI_PIPELINES=1000,10000`; BENCH_DEBUG=1 prints each run's resource timings.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { serveSeeded } from './fleet-api-bench.js';
import { median, row } from './sh.js';

const UI = fileURLToPath(new URL('../packages/ui/', import.meta.url));
const SIZES = (process.env.BENCH_UI_PIPELINES ?? '1000,10000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_UI_RUNS ?? 7);
const KB = 1024;

const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtKb = (bytes: number): string => `${(bytes / KB).toFixed(1)} KB`;

/** The dashboard and API over the seeded fleet (the real app and state cache) on a free port; also handy by hand. */
export async function serveFleet(count: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = await serveSeeded(count);
  return { url: `${server.url}/`, close: server.close };
}

/** What the overview shows and how fast, in headless Chromium (median of `runs`). */
export interface DashboardFigures {
  /** Navigation start to the first overview rows in the DOM. */
  readonly rows: number;
  /** `production:behind` pasted into the filter box to the count showing the result painted. */
  readonly filter: number;
  /** Sort by state chosen to the first row changing, painted. */
  readonly sort: number;
  readonly fcp: number;
  readonly domRows: number;
  readonly shownAfterFilter: string;
  readonly runsOf: { rows: number[]; filter: number[]; sort: number[]; fcp: number[] };
  readonly loadedJs: ReadonlySet<string>;
}

/**
 * First rows, a filter and a sort on the overview at `url` with `pipelines` pipelines, each run
 * in a fresh browser context (nothing cached). The filter and sort start once the count says all
 * `pipelines` are loaded. fleet-bench can call this with its own server's URL.
 */
export async function dashboardFigures(url: string, pipelines: number, runs = RUNS): Promise<DashboardFigures> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const rowsAt: number[] = [];
  const fcp: number[] = [];
  const filters: number[] = [];
  const sorts: number[] = [];
  const loadedJs = new Set<string>();
  let domRows = 0;
  let shown = '';
  try {
    for (let r = 0; r < runs; r++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
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
      await page.locator('.rows .row').first().waitFor({ timeout: 60_000 });
      await page.locator('.count', { hasText: `${pipelines} pipelines` }).waitFor({ timeout: 60_000 });
      const t = (await page.evaluate(`(async () => {
        const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        await frames();
        const rows = performance.getEntriesByName('gantry:rows')[0];
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        if (globalThis.BENCH_DEBUG) console.log(JSON.stringify(performance.getEntriesByType('resource').map((e) => [e.name.slice(-40), Math.round(e.startTime), Math.round(e.responseEnd)])));
        const dom = document.querySelectorAll('.rows .row').length;
        /** Resolves when what \`read\` gives differs from now, at the next frame painted after. */
        const changed = (node, read) => {
          const before = read();
          return new Promise((resolve) => {
            const obs = new MutationObserver(() => {
              if (read() !== before) { obs.disconnect(); requestAnimationFrame(() => resolve(performance.now())); }
            });
            obs.observe(node, { childList: true, characterData: true, subtree: true, attributes: true });
            setTimeout(() => { obs.disconnect(); resolve(NaN); }, 10000);
          });
        };
        const count = document.querySelector('.filter-bar .count');
        const input = document.querySelector('#filter');
        let updated = changed(count, () => count.textContent);
        // typed as a person pastes it: one input event, which React's onChange hears
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
        let t0 = performance.now();
        setValue.call(input, 'production:behind');
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const filter = (await updated) - t0;
        const shown = count.textContent;
        await frames();
        const rowsBox = document.querySelector('.rows');
        const firstName = () => document.querySelector('.rows .row .pipeline-name')?.textContent;
        const select = document.querySelector('.filter-bar select');
        updated = changed(rowsBox, firstName);
        t0 = performance.now();
        select.value = 'change';
        select.dispatchEvent(new Event('change', { bubbles: true }));
        const sort = (await updated) - t0;
        return { rows: rows ? rows.startTime : NaN, fcp: paint ? paint.startTime : NaN, dom, filter, shown, sort };
      })()`)) as { rows: number; fcp: number; dom: number; filter: number; shown: string; sort: number };
      rowsAt.push(t.rows);
      fcp.push(t.fcp);
      filters.push(t.filter);
      sorts.push(t.sort);
      domRows = t.dom;
      shown = t.shown;
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return {
    rows: median(rowsAt),
    filter: median(filters),
    sort: median(sorts),
    fcp: median(fcp),
    domRows,
    shownAfterFilter: shown,
    runsOf: { rows: rowsAt, filter: filters, sort: sorts, fcp },
    loadedJs,
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
  console.log(
    `\ndashboard: build, JavaScript size, overview of ${SIZES.join(' and ')} pipelines x 3 phases (median of ${RUNS}; the real app and state cache)`,
  );
  await build({ configFile: join(UI, 'vite.config.ts'), logLevel: 'warn' });
  const sizes = await jsSizes();
  const all: (DashboardFigures & { pipelines: number })[] = [];
  for (const n of SIZES) {
    const server = await serveFleet(n);
    try {
      all.push({ ...(await dashboardFigures(server.url, n)), pipelines: n });
    } finally {
      await server.close();
    }
  }
  const loadedJs = new Set(all.flatMap((x) => [...x.loadedJs]));
  const overviewGz = [...loadedJs].reduce((sum, f) => sum + (sizes.all.get(f) ?? 0), 0);
  const allGz = [...sizes.all.values()].reduce((a, b) => a + b, 0);
  const lazy = [...sizes.all.keys()].filter((f) => !loadedJs.has(f));
  row('JS the overview loads (gzip)', fmtKb(overviewGz), `target < 250 KB; ${loadedJs.size} file(s)`);
  row('JS of all chunks (gzip)', fmtKb(allGz), `lazy: ${lazy.map((f) => f.replace('assets/', '')).join(', ')}`);
  const runs = (xs: number[]) => xs.map((m) => m.toFixed(0)).join(' ');
  const by = (label: string, f: (x: DashboardFigures) => string, note = '') => row(label, all.map(f).join(' | '), note);
  console.log(`  sizes: ${all.map((x) => `${x.pipelines} pipelines`).join(' | ')}`);
  by('first contentful paint', (x) => fmtMs(x.fcp));
  by(
    'first overview rows',
    (x) => fmtMs(x.rows),
    `target < 1 s at 10,000; runs: ${all.map((x) => runs(x.runsOf.rows)).join(' | ')}`,
  );
  by('rows in the DOM (windowed)', (x) => String(x.domRows));
  by(
    'filter production:behind',
    (x) => fmtMs(x.filter),
    `target < 100 ms; runs: ${all.map((x) => runs(x.runsOf.filter)).join(' | ')}; ${all.map((x) => x.shownAfterFilter).join(' | ')}`,
  );
  by(
    'then sort by last change',
    (x) => fmtMs(x.sort),
    `target < 100 ms; runs: ${all.map((x) => runs(x.runsOf.sort)).join(' | ')}`,
  );
}

// `npx tsx bench/ui-bench.ts` runs this part alone
if (import.meta.url === `file://${process.argv[1]}`) {
  uiBench().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
