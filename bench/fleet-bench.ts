/**
 * Fleet figures (issue 15): 10,000 pipelines x 3 phases (oci -> staging -> production) over
 * 50 bare config repositories and 2 docker-registry processes, each figure beside the same
 * measurement at 1,000 pipelines (5 repositories) in the same run. The server runs in a
 * process of its own (`fleet-server.ts`); the load comes from a third (autocannon, or wrk when
 * installed); the dashboard is measured in headless Chromium. `BENCH_ONLY=fleet`;
 * `BENCH_FLEET_SIZES=1000,10000` to choose the sizes (`BENCH_FLEET_SIZES=2000` for a quick look);
 * `BENCH_FLEET_PARTS=server` measures only start-up, reconciles and RSS (no load, no browser);
 * `BENCH_FLEET_SERVER_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` passes Node flags to the server
 * (and `NAME=value` words into its environment; `"|--max-semi-space-size=32"` measures without,
 * then with, against the same registries);
 * `BENCH_FLEET_DIR=/tmp/fleet` works there instead of bench/.work (two runs at once keep apart).
 */
import type { ChildProcess } from 'node:child_process';
import { fork, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { startRegistry } from '@gantry/testing';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { fleetConfig, generateFleetRepos, PIPELINES_PER_REPOSITORY, pushFleetImages } from './fleet-gen.js';
import { resetDir } from './git-bench.js';
import { cannon, wrkPaced } from './server-bench.js';
import { fmt, median, row } from './sh.js';

const SIZES = (process.env.BENCH_FLEET_SIZES ?? '1000,10000').split(',').map(Number);
const SERVER_ONLY = process.env.BENCH_FLEET_PARTS === 'server';
/**
 * The server's Node flags, and `NAME=value` words set in its environment; alternatives apart by
 * `|` are each measured in turn against the same registries (an A/B at the same load).
 */
const SERVER_VARIANTS = (process.env.BENCH_FLEET_SERVER_ARGS ?? '').split('|').map((v) => {
  const words = v.split(' ').filter((a) => a !== '');
  const env = Object.fromEntries(words.flatMap((w) => (/^[A-Z_][A-Z0-9_]*=/.test(w) ? [w.split(/=(.*)/s, 2)] : [])));
  return { label: v.trim(), args: words.filter((w) => !/^[A-Z_][A-Z0-9_]*=/.test(w)), env };
});
const SERVER = fileURLToPath(new URL('./fleet-server.ts', import.meta.url));
const UI = fileURLToPath(new URL('../packages/ui/', import.meta.url));
const MB = 1024 * 1024;

interface Started {
  url: string;
  beforeMain: number;
  configMs: number;
  observeMs: number;
  configCpuMs: number;
  observeCpuMs: number;
  fetches: number;
  registryRequests: number;
  errors: number;
  rss: number;
  memory: NodeJS.MemoryUsage;
  /** Heap used after a full collection, when the server runs with --expose-gc. */
  liveHeap?: number;
}
interface Reconciled {
  ms: number;
  cpuMs: number;
  fetches: number;
  gitProcesses: number;
  registryRequests: number;
  notModified: number;
  distinctTags: number;
  errors: number;
  rss: number;
}

/** What one size measured, printed beside the other sizes. */
interface Figures {
  pipelines: number;
  /** The server's flags and environment as given (empty: none). */
  variant: string;
  repositories: number;
  startMs: number;
  start: Started;
  cached: Reconciled;
  asked: Reconciled;
  full: { p50: number; p99: number; rps: number; size: number; gzip: number; errors: number };
  page: { p50: number; p99: number; rps: number; errors: number };
  rss: number;
  peakRss: number;
  firstRows: number;
  filter: number;
  shownAfterFilter: string;
}

function ask<T>(child: ChildProcess, message: object, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null) => reject(new Error(`fleet server exited ${code}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (Object.keys(message).length > 0) child.send(message);
  });
}

/** Paced load on a URL from another process: wrk when installed (C), else autocannon. */
async function load(url: string, dir: string) {
  const paced = await wrkPaced(url, 500, 10, dir);
  if (paced) return { ...paced, errors: 0, tool: 'wrk' };
  const r = await cannon(url, 500, 10);
  return {
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: r.requests.average,
    errors: r.non2xx + r.errors,
    tool: 'autocannon',
  };
}

/** First overview rows (navigation start to the first row painted) and one filter typed, in headless Chromium. */
async function dashboard(url: string, pipelines: number): Promise<{ rows: number; filter: number; shown: string }> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const rows: number[] = [];
  const filters: number[] = [];
  let shown = '';
  try {
    for (let r = 0; r < 3; r++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'commit' });
      await page.locator('.rows .row').first().waitFor({ timeout: 60_000 });
      await page.locator('.count', { hasText: `${pipelines} pipelines` }).waitFor({ timeout: 60_000 });
      const t = (await page.evaluate(`(async () => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const rows = performance.getEntriesByName('gantry:rows')[0];
        const input = document.querySelector('#filter');
        const count = document.querySelector('.filter-bar .count');
        const before = count.textContent;
        const updated = new Promise((resolve) => {
          new MutationObserver((_, obs) => {
            if (count.textContent !== before) { obs.disconnect(); requestAnimationFrame(() => resolve(performance.now())); }
          }).observe(count, { childList: true, characterData: true, subtree: true });
        });
        // typed as a person pastes it: one input event, which React's onChange hears
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
        const t0 = performance.now();
        setValue.call(input, 'production:behind');
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const t1 = await updated;
        return { rows: rows ? rows.startTime : NaN, filter: t1 - t0, shown: count.textContent };
      })()`)) as { rows: number; filter: number; shown: string };
      rows.push(t.rows);
      filters.push(t.filter);
      shown = t.shown;
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { rows: median(rows), filter: median(filters), shown };
}

async function measure(
  root: string,
  pipelines: number,
  registries: readonly string[],
  variant: (typeof SERVER_VARIANTS)[number],
): Promise<Figures> {
  const dir = await resetDir(join(root, `fleet-${pipelines}`));
  const g = performance.now();
  const repos = await generateFleetRepos(join(dir, 'remotes'), pipelines);
  row(`${repos.length} config repositories generated`, fmt(performance.now() - g), 'git fast-import, one commit each');
  await writeFile(join(dir, 'gantry.yaml'), fleetConfig(pipelines, repos, registries));
  const spawned = performance.now();
  const child = fork(SERVER, [dir], {
    execArgv: ['--import', 'tsx', ...variant.args],
    env: { ...process.env, ...variant.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const start = await ask<Started>(child, {}, 'started');
    const startMs = performance.now() - spawned;
    const cached = await ask<Reconciled>(child, { type: 'reconcile' }, 'reconciled');
    const asked = await ask<Reconciled>(child, { type: 'reconcile', expire: true }, 'reconciled');
    const listUrl = `${start.url}/api/v1/pipelines`;
    const text = await (await fetch(listUrl)).text();
    const skipped = { p50: Number.NaN, p99: Number.NaN, rps: Number.NaN, errors: 0 };
    const full = {
      ...(SERVER_ONLY ? skipped : await load(listUrl, dir)),
      size: Buffer.byteLength(text),
      gzip: gzipSync(text).length,
    };
    const page = SERVER_ONLY ? skipped : await load(`${listUrl}?state=production%3Abehind&limit=100`, dir);
    const ui = SERVER_ONLY
      ? { rows: Number.NaN, filter: Number.NaN, shown: '(skipped)' }
      : await dashboard(`${start.url}/`, pipelines);
    const mem = await ask<{ rss: number; peak: number }>(child, { type: 'rss' }, 'rss');
    return {
      pipelines,
      variant: variant.label,
      repositories: repos.length,
      startMs,
      start,
      cached,
      asked,
      full,
      page,
      rss: mem.rss,
      peakRss: mem.peak,
      firstRows: ui.rows,
      filter: ui.filter,
      shownAfterFilter: ui.shown,
    };
  } finally {
    child.send({ type: 'stop' });
    await new Promise((r) => child.once('exit', r));
  }
}

function report(all: readonly Figures[]): void {
  const by = (label: string, f: (x: Figures) => string, note = '') => row(label, all.map(f).join(' | '), note);
  console.log(
    `\n  sizes: ${all.map((x) => `${x.pipelines} pipelines / ${x.repositories} repositories${x.variant ? ` [${x.variant}]` : ''}`).join(' | ')}`,
  );
  by('gantry serve: spawn to listening', (x) => fmt(x.startMs), 'target < 10 s at 10,000');
  by('  of which: loading the configuration', (x) => `${fmt(x.start.configMs)} (CPU ${fmt(x.start.configCpuMs)})`);
  by(
    '  of which: first observation of every phase',
    (x) => `${fmt(x.start.observeMs)} (CPU ${fmt(x.start.observeCpuMs)})`,
    'target < 10 s at 10,000',
  );
  by(
    '  server RSS when listening (JS heap used/total, external)',
    (x) =>
      `${(x.start.rss / MB).toFixed(0)} MB (${(x.start.memory.heapUsed / MB).toFixed(0)}/${(x.start.memory.heapTotal / MB).toFixed(0)}, ${(x.start.memory.external / MB).toFixed(0)})`,
  );
  if (all.some((x) => x.start.liveHeap !== undefined))
    by('  JS heap after a full collection', (x) => `${((x.start.liveHeap ?? Number.NaN) / MB).toFixed(0)} MB`);
  by(
    '  fetches / registry requests / errors',
    (x) => `${x.start.fetches}/${x.start.registryRequests}/${x.start.errors}`,
  );
  by(
    'no-change reconcile (tag cache fresh)',
    (x) => `${fmt(x.cached.ms)} (CPU ${fmt(x.cached.cpuMs)})`,
    'target < 5 s',
  );
  by('  fetches per repository', (x) => (x.cached.fetches / x.repositories).toFixed(2), 'target 1');
  by('  registry requests', (x) => String(x.cached.registryRequests), 'within the tag cache TTL');
  by('  git processes / errors', (x) => `${x.cached.gitProcesses}/${x.cached.errors}`);
  by('no-change reconcile (every tag asked)', (x) => `${fmt(x.asked.ms)} (CPU ${fmt(x.asked.cpuMs)})`, 'target < 5 s');
  by(
    '  registry requests / distinct repo:tag',
    (x) => `${x.asked.registryRequests}/${x.asked.distinctTags}`,
    'target <=',
  );
  by(
    '  answered 304 / fetches per repository',
    (x) => `${x.asked.notModified}/${(x.asked.fetches / x.repositories).toFixed(2)}`,
  );
  by(
    'GET /pipelines (whole list): JSON / gzip',
    (x) => `${(x.full.size / 1024).toFixed(0)} / ${(x.full.gzip / 1024).toFixed(0)} KiB`,
  );
  by('  at 500/s: p50 / p99', (x) => `${x.full.p50.toFixed(1)} / ${x.full.p99.toFixed(1)} ms`, 'target p99 < 20 ms');
  by('  served / errors', (x) => `${x.full.rps.toFixed(0)}/s ${x.full.errors}`);
  by(
    'GET ?state=production:behind&limit=100',
    (x) => `${x.page.p50.toFixed(1)} / ${x.page.p99.toFixed(1)} ms`,
    'p50 / p99 at 500/s',
  );
  by(
    'server RSS after the load / peak',
    (x) => `${(x.rss / MB).toFixed(0)} / ${(x.peakRss / MB).toFixed(0)} MB`,
    'target < 500 MB',
  );
  by('dashboard: first overview rows', (x) => fmt(x.firstRows), 'target < 1 s (median of 3)');
  by(
    'dashboard: filter production:behind',
    (x) => fmt(x.filter),
    `target < 100 ms; ${all.map((x) => x.shownAfterFilter).join(' | ')}`,
  );
}

export async function fleetBench(given: string): Promise<void> {
  const root = process.env.BENCH_FLEET_DIR ?? given;
  const largest = Math.max(...SIZES);
  console.log(
    `\nfleet: ${SIZES.join(' and ')} pipelines x 3 phases (oci -> staging -> production), ${PIPELINES_PER_REPOSITORY} per config repository, 2 registries`,
  );
  if (spawnSync('which', ['wrk']).status !== 0) console.log('  (wrk is not installed: autocannon paces the load)');
  if (!existsSync(join(UI, 'dist', 'index.html')))
    await build({ configFile: join(UI, 'vite.config.ts'), logLevel: 'warn' });
  await mkdir(root, { recursive: true });
  const registries = await Promise.all([startRegistry(), startRegistry()]);
  try {
    const t = performance.now();
    await pushFleetImages(
      registries.map((r) => r.url),
      0,
      largest,
    );
    row('images pushed (blobs mounted, one manifest each)', fmt(performance.now() - t), `${largest} repositories`);
    const figures: Figures[] = [];
    for (const n of SIZES)
      for (const variant of SERVER_VARIANTS) {
        const g = performance.now();
        figures.push(
          await measure(
            root,
            n,
            registries.map((r) => r.url),
            variant,
          ),
        );
        row(`measured ${n} pipelines${variant.label ? ` [${variant.label}]` : ''}`, fmt(performance.now() - g));
      }
    report(figures);
  } finally {
    await Promise.all(registries.map((r) => r.stop()));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  fleetBench(join(import.meta.dirname, '.work')).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
