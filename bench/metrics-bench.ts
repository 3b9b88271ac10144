/**
 * Delivery metrics (issue 13): 1,000 pipelines x 2 phases over a year of history (about 100,000
 * promotions, written straight into the store) in SQLite and PostgreSQL. Figures: the time to
 * compute the metrics (the store's queries plus the pure computation) for the whole fleet over
 * the year and over 30 days, and for one pipeline; and the dashboard's metrics page painted in
 * headless Chromium (navigation to figures, charts and table in the DOM) over the year.
 * `BENCH_METRICS_PIPELINES` shrinks the fleet for a quick look.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { System } from '@gantry/core';
import { computeDeliveryMetrics } from '@gantry/metrics';
import type { ServerDeps } from '@gantry/server';
import { readDeliveryMetrics, verifiesIn } from '@gantry/server';
import type { Store } from '@gantry/store';
import { openStore } from '@gantry/store';
import { hasPostgres, postgresSchema } from '@gantry/testing';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { serveApp } from './serve-app.js';
import { median, row } from './sh.js';

const PIPELINES = Number(process.env.BENCH_METRICS_PIPELINES ?? 1000);
/** Versions each pipeline builds in the year: staging gets each, production most. */
const VERSIONS = 50;
const RUNS = Number(process.env.BENCH_METRICS_RUNS ?? 5);
const DAY = 86_400_000;
const UI = fileURLToPath(new URL('../packages/ui/', import.meta.url));

const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const hex = (n: number) => n.toString(16).padStart(8, '0');
const digestOf = (pipeline: number, version: number) => `sha256:${hex(pipeline)}${hex(version)}`.padEnd(71, '0');

interface PromotionRow {
  id: string;
  pipeline: string;
  phase: string;
  to_digest: string;
  to_version: string;
  target: string;
  trigger: string;
  reason: string;
  state: string;
  commit_sha: string | null;
  deployment: string | null;
  verification: string | null;
  created_at: string;
  updated_at: string;
}
interface EventRow {
  promotion_id: string;
  state: string;
  at: string;
  detail: string;
}

/** A deterministic pseudo-random stream (mulberry32): the same history every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A year of history for one pipeline: every version to staging (10 min after its commit, 7% fail
 * verification), a day later to production (2% fail to write, 5% fail verification, 2% degrade),
 * and a failed production version is rolled back to the one before half of the time.
 */
function pipelineHistory(p: number, start: number, rnd: () => number) {
  const name = `svc-${String(p).padStart(4, '0')}`;
  const promotions: PromotionRow[] = [];
  const events: EventRow[] = [];
  const commits: { digest: string; at: string }[] = [];
  const add = (phase: string, version: number, created: number, outcome: string, rollbackOf?: string) => {
    const id = randomUUID();
    const digest = digestOf(p, version);
    const at = (ms: number) => new Date(ms).toISOString();
    const succeeded = created + 120_000;
    const settled = succeeded + (10 + Math.floor(rnd() * 50)) * 60_000;
    const failedWrite = outcome === 'write-failed';
    promotions.push({
      id,
      pipeline: name,
      phase,
      to_digest: digest,
      to_version: `${name}@${version}`,
      target: JSON.stringify({ kind: 'oci-image', repository: `registry.example.com/${name}`, digest }),
      trigger: JSON.stringify(
        rollbackOf
          ? { kind: 'person', actor: 'oncall', rollbackOf }
          : phase === 'staging'
            ? { kind: 'webhook', source: 'registry' }
            : { kind: 'policy', policy: 'verified' },
      ),
      reason: rollbackOf ? 'rollback' : 'new version',
      state: failedWrite ? 'failed' : 'succeeded',
      commit_sha: failedWrite ? null : hex(p) + hex(version) + hex(promotions.length).repeat(3),
      deployment: failedWrite
        ? null
        : JSON.stringify({ state: outcome === 'degraded' ? 'degraded' : 'healthy', at: at(settled) }),
      verification: failedWrite
        ? null
        : JSON.stringify({
            state: outcome === 'verification-failed' ? 'failed' : 'verified',
            at: at(settled + 60_000),
            run: 1,
          }),
      created_at: at(created),
      updated_at: at(settled + 60_000),
    });
    const states = failedWrite
      ? ['queued', 'running', 'failed']
      : ['queued', 'running', 'committed', 'pushed', 'succeeded'];
    states.forEach((state, i) => {
      events.push({
        promotion_id: id,
        state,
        at: at(state === 'succeeded' ? succeeded : created + i * 10_000),
        detail: '{}',
      });
    });
    return id;
  };
  let lastProduction: { version: number; id: string } | undefined;
  for (let v = 1; v <= VERSIONS; v++) {
    const committed = start + ((v - 1 + rnd() * 0.8) * 365 * DAY) / VERSIONS;
    commits.push({ digest: digestOf(p, v), at: new Date(committed - 3_600_000 * (1 + rnd() * 24)).toISOString() });
    add('staging', v, committed + 600_000, rnd() < 0.07 ? 'verification-failed' : 'ok');
    const r = rnd();
    const outcome = r < 0.02 ? 'write-failed' : r < 0.07 ? 'verification-failed' : r < 0.09 ? 'degraded' : 'ok';
    const created = committed + DAY;
    const id = add('production', v, created, outcome);
    if (outcome !== 'ok' && outcome !== 'write-failed' && lastProduction && rnd() < 0.5)
      add('production', lastProduction.version, created + 3_600_000, 'ok', lastProduction.id);
    else if (outcome !== 'write-failed') lastProduction = { version: v, id };
  }
  return { name, promotions, events, commits };
}

const PROMOTION_COLUMNS = [
  'id',
  'pipeline',
  'phase',
  'to_digest',
  'to_version',
  'target',
  'trigger',
  'reason',
  'state',
  'commit_sha',
  'deployment',
  'verification',
  'created_at',
  'updated_at',
] as const;
const EVENT_COLUMNS = ['promotion_id', 'state', 'at', 'detail'] as const;

/** Writes the history with the database's own bulk path (one transaction, prepared or multi-row inserts). */
interface Writer {
  promotions(rows: PromotionRow[]): Promise<void>;
  events(rows: EventRow[]): Promise<void>;
  artifacts(rows: { digest: string; at: string; pipeline: string }[]): Promise<void>;
  close(): Promise<void>;
}

export function sqliteWriter(path: string): Writer {
  const db = new SqliteDatabase(path);
  const insert = (table: string, columns: readonly string[]) =>
    db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
  const p = insert('promotions', PROMOTION_COLUMNS);
  const e = insert('promotion_events', EVENT_COLUMNS);
  const hasArtifacts = db.prepare("select 1 from sqlite_master where name = 'artifacts'").get() !== undefined;
  return {
    promotions: async (rows) =>
      db.transaction(() => {
        for (const r of rows) p.run(r);
      })(),
    events: async (rows) =>
      db.transaction(() => {
        for (const r of rows) e.run(r);
      })(),
    async artifacts(rows) {
      if (!hasArtifacts) return;
      const a = db.prepare(
        `insert into artifacts (id, key, kind, digest, commit_time, labelled, pipelines, verified, reported_at, reported_by, updated_at)
         values (?, ?, 'image', ?, ?, '[]', ?, 'verified', ?, 'ci', ?)`,
      );
      db.transaction(() => {
        for (const r of rows)
          a.run(randomUUID(), `image:${r.digest}`, r.digest, r.at, JSON.stringify([r.pipeline]), r.at, r.at);
      })();
    },
    close: async () => {
      db.close();
    },
  };
}

export async function postgresWriter(url: string): Promise<Writer> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const bulk = async <R extends object>(table: string, columns: readonly (keyof R & string)[], rows: R[]) => {
    const per = Math.floor(30_000 / columns.length);
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      const values: unknown[] = [];
      const tuples = chunk.map((r) => {
        const at = values.length;
        for (const c of columns) values.push(r[c]);
        return `(${columns.map((_, k) => `$${at + k + 1}`).join(', ')})`;
      });
      await client.query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, values);
    }
  };
  const hasArtifacts = (await client.query("select to_regclass('artifacts') as t")).rows[0]?.t !== null;
  return {
    promotions: (rows) => bulk('promotions', PROMOTION_COLUMNS, rows),
    events: (rows) => bulk('promotion_events', EVENT_COLUMNS, rows),
    async artifacts(rows) {
      if (!hasArtifacts) return;
      const mapped = rows.map((r) => ({
        id: randomUUID(),
        key: `image:${r.digest}`,
        kind: 'image',
        digest: r.digest,
        commit_time: r.at,
        labelled: '[]',
        pipelines: JSON.stringify([r.pipeline]),
        verified: 'verified',
        reported_at: r.at,
        reported_by: 'ci',
        updated_at: r.at,
      }));
      await bulk('artifacts', Object.keys(mapped[0] ?? {}) as (keyof (typeof mapped)[number] & string)[], mapped);
    },
    close: () => client.end(),
  };
}

/** The generated fleet's configuration as the metrics read it: every phase has a deployer (it verifies). */
export function fleetSystem(names: readonly string[]): System {
  const deployer = { kind: 'flux-kustomization', namespace: 'flux-system', name: 'app' };
  return {
    pipelines: names.map((name) => ({
      name,
      labels: {},
      phases: [
        { name: 'staging', deployer },
        { name: 'production', deployer },
      ],
    })),
  } as unknown as System;
}

export async function generate(writer: Writer, now: number): Promise<{ names: string[]; promotions: number }> {
  const rnd = random(13);
  const start = now - 365 * DAY;
  const names: string[] = [];
  let promotions = 0;
  for (let p = 0; p < PIPELINES; p += 50) {
    const batch = Array.from({ length: Math.min(50, PIPELINES - p) }, (_, i) => pipelineHistory(p + i, start, rnd));
    await writer.promotions(batch.flatMap((b) => b.promotions));
    await writer.events(batch.flatMap((b) => b.events));
    // CI reported the commit of every other version; the rest fall back to their first promotion
    await writer.artifacts(
      batch.flatMap((b) => b.commits.filter((_, i) => i % 2 === 0).map((c) => ({ ...c, pipeline: b.name }))),
    );
    for (const b of batch) {
      names.push(b.name);
      promotions += b.promotions.length;
    }
  }
  return { names, promotions };
}

/** Times the metrics over one store: fleet over the year and 30 days, one pipeline; the SQL and the computation apart. */
async function computeTimes(label: string, store: Store, system: System, now: Date): Promise<void> {
  const year = { from: new Date(now.getTime() - 365 * DAY), to: now };
  const month = { from: new Date(now.getTime() - 30 * DAY), to: now };
  // wall time, and this process's CPU time: on a shared, loaded machine the second says more
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const cpu = new Map<string, number[]>();
  const measure = async (fn: () => Promise<unknown>, label = '') => {
    await fn(); // warm: statement caches, the pool
    const ms: number[] = [];
    const used: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      const c = cpuMs();
      await fn();
      ms.push(performance.now() - t);
      used.push(cpuMs() - c);
    }
    cpu.set(label, used);
    return ms;
  };
  const cpuOf = (label: string) => `CPU ${fmtMs(median(cpu.get(label) ?? [NaN]))}`;
  const fleetYear = await measure(() => readDeliveryMetrics(store, system, year), 'fleetYear');
  const history = await store.deliveryHistory({ from: year.from.toISOString() });
  const sql = await measure(() => store.deliveryHistory({ from: year.from.toISOString() }), 'sql');
  const compute = await measure(
    async () =>
      computeDeliveryMetrics({
        ...year,
        phases: history.phases,
        verifies: verifiesIn(system),
      }),
    'compute',
  );
  const fleetMonth = await measure(() => readDeliveryMetrics(store, system, month), 'fleetMonth');
  const one = await measure(() =>
    readDeliveryMetrics(store, system, { ...year, pipeline: 'svc-0001', seriesPerPhase: true }),
  );
  const m = await readDeliveryMetrics(store, system, year);
  const runs = (ms: number[]) => `runs: ${ms.map((x) => x.toFixed(0)).join(' ')}`;
  row(
    `${label}: fleet, 365 days`,
    fmtMs(median(fleetYear)),
    `target < 1 s; ${cpuOf('fleetYear')}; ${m.total.deploymentFrequency.count} deployments in ${m.phases.length} phases; ${runs(fleetYear)}`,
  );
  row(
    `${label}:   of which the queries`,
    fmtMs(median(sql)),
    `${cpuOf('sql')}; ${history.phases.reduce((n, p) => n + p.seq.length, 0)} deployments read in ${history.phases.length} rows`,
  );
  row(`${label}:   of which the computation`, fmtMs(median(compute)), `${cpuOf('compute')}; pure, in-process`);
  row(`${label}: fleet, 30 days`, fmtMs(median(fleetMonth)), `${cpuOf('fleetMonth')}; ${runs(fleetMonth)}`);
  row(`${label}: one pipeline, 365 days, series per phase`, fmtMs(median(one)), runs(one));
}

/** The dashboard's metrics page over the real app and this store, painted in headless Chromium. */
export async function paintTimes(store: Store, system: System): Promise<void> {
  await build({ configFile: join(UI, 'vite.config.ts'), logLevel: 'warn' });
  const server = await serveApp('metrics bench', {
    engine: { system } as ServerDeps['engine'],
    store,
    state: {
      list: () => [],
      get: () => undefined,
      observedAt: new Date(),
      version: 0,
      refresh: async () => [],
    } as unknown as ServerDeps['state'],
  });
  const base = server.url;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = async (path: string) => {
      const painted: number[] = [];
      // when the page asked the API and when the answer was in: the rest is loading and drawing
      const asked: number[] = [];
      const answered: number[] = [];
      let bytes = 0;
      for (let r = 0; r < RUNS; r++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const tab = await context.newPage();
        tab.on('response', async (res) => {
          if (new URL(res.url()).pathname === '/api/v1/metrics') bytes = (await res.body()).length;
        });
        await tab.goto(`${base}${path}`, { waitUntil: 'commit' });
        await tab.locator('.metrics-chart canvas').first().waitFor({ timeout: 60_000 });
        const [t, api] = (await tab.evaluate(`(async () => {
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          const m = performance.getEntriesByName('gantry:metrics')[0];
          const a = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === '/api/v1/metrics');
          return [m ? m.startTime : NaN, a ? [a.startTime, a.responseEnd] : [NaN, NaN]];
        })()`)) as [number, [number, number]];
        painted.push(t);
        asked.push(api[0]);
        answered.push(api[1]);
        await context.close();
      }
      const api = `API asked at ${fmtMs(median(asked))}, answered at ${fmtMs(median(answered))}`;
      return { painted, bytes, api };
    };
    // as a person opens it: the fleet over the last 30 days (of the year of history)
    const opened = await page('/delivery-metrics');
    row(
      'metrics page painted: fleet, 30 days (the default)',
      fmtMs(median(opened.painted)),
      `target < 1.5 s; ${opened.api}, ${(opened.bytes / 1024).toFixed(0)} KB; runs: ${opened.painted.map((m) => m.toFixed(0)).join(' ')}`,
    );
    const fleet = await page('/delivery-metrics?since=365d');
    row(
      'metrics page painted: fleet, 365 days (SQLite)',
      fmtMs(median(fleet.painted)),
      `target < 1.5 s; ${fleet.api}, ${(fleet.bytes / 1024).toFixed(0)} KB; runs: ${fleet.painted.map((m) => m.toFixed(0)).join(' ')}`,
    );
    const one = await page('/delivery-metrics?pipeline=svc-0001&since=365d');
    row(
      'metrics page painted: one pipeline, 365 days',
      fmtMs(median(one.painted)),
      `${one.api}; runs: ${one.painted.map((m) => m.toFixed(0)).join(' ')}`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

export async function metricsBench(root: string): Promise<void> {
  const now = new Date();
  console.log(
    `\ndelivery metrics: ${PIPELINES} pipelines x 2 phases, ${VERSIONS} versions each over 365 days (median of ${RUNS})`,
  );
  const dir = join(root, 'metrics');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'gantry.db');
  const sqlite = await openStore({ sqlitePath: path }); // the schema, by the store's migrations
  await sqlite.close();
  const t = performance.now();
  const writer = sqliteWriter(path);
  const { names, promotions } = await generate(writer, now.getTime());
  await writer.close();
  row('generated (SQLite)', fmtMs(performance.now() - t), `${promotions} promotions, ${promotions * 5} events about`);
  const system = fleetSystem(names);
  const store = await openStore({ sqlitePath: path });
  try {
    await computeTimes('SQLite', store, system, now);
    await paintTimes(store, system);
  } finally {
    await store.close();
  }

  if (!(await hasPostgres())) {
    row('PostgreSQL', 'skipped', 'no PostgreSQL at the test URL');
    return;
  }
  const schema = await postgresSchema('gantry_bench');
  try {
    const pgStore = await openStore({ databaseUrl: schema.url });
    const t2 = performance.now();
    const pgWriter = await postgresWriter(schema.url);
    await generate(pgWriter, now.getTime());
    await pgWriter.close();
    row('generated (PostgreSQL)', fmtMs(performance.now() - t2), `${promotions} promotions`);
    try {
      await computeTimes('PostgreSQL', pgStore, system, now);
    } finally {
      await pgStore.close();
    }
  } finally {
    await schema.drop();
  }
}

// `npx tsx bench/metrics-bench.ts` runs this part alone
if (import.meta.url === `file://${process.argv[1]}`) {
  metricsBench(join(import.meta.dirname, '.work')).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
