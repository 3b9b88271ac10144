/**
 * Artifact report ingestion (issue 13): `POST /api/v1/artifacts` at a steady rate (default 200
 * reports/s for 10 s) over HTTP on loopback, against a real docker-registry, on SQLite and (when
 * reachable) PostgreSQL. The server runs in a process of its own (`artifact-server.ts`), the load
 * comes from another (`artifact-load.ts`, open loop). Each report is a new build (a new digest)
 * with two steps; one in ten is a replay. Prints latency percentiles and the server's CPU time
 * per report (the figure that holds on a loaded machine); asserts nothing.
 * `BENCH_ONLY=artifacts npm run bench`, or `npx tsx bench/artifact-bench.ts` alone;
 * ARTIFACT_RATE and ARTIFACT_SECONDS change the load, ARTIFACT_REGISTRY_RPS the registry's request
 * budget (unset: Gantry's default, 10/s), ARTIFACT_CPU_PROF=<dir> writes the server's CPU profile there.
 */
import type { ChildProcess } from 'node:child_process';
import { fork, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestRegistry } from '@gantry/testing';
import { createBareRepo, hasPostgres, postgresSchema, pushTestImage, startRegistry } from '@gantry/testing';
import { resetDir } from './git-bench.js';
import { fmt, percentile, row } from './sh.js';

const RATE = Number(process.env.ARTIFACT_RATE ?? 200);
const SECONDS = Number(process.env.ARTIFACT_SECONDS ?? 10);
/** The local registry's request budget (requests/s); unset: Gantry's default (10/s, 4 at once). */
const REGISTRY_RPS = process.env.ARTIFACT_REGISTRY_RPS;
const CPU_PROF = process.env.ARTIFACT_CPU_PROF;
const SERVER = fileURLToPath(new URL('./artifact-server.ts', import.meta.url));
const LOAD = fileURLToPath(new URL('./artifact-load.ts', import.meta.url));

interface Load {
  latencies: number[];
  /** Latencies in the order the reports were sent. */
  bySend: number[];
  statuses: Record<string, number>;
  sentMs: number;
  elapsedMs: number;
}

function ask<T>(child: ChildProcess, message: object, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null) => reject(new Error(`artifact server exited ${code}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (Object.keys(message).length > 0) child.send(message);
  });
}

function load(url: string, token: string, host: string): Promise<Load> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', LOAD, url, token, host, String(RATE), String(SECONDS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Load) : reject(new Error(`load ${code}`))));
  });
}

async function ingest(dir: string, registry: TestRegistry, databaseUrl: string | undefined, label: string) {
  await mkdir(dir, { recursive: true });
  const ZERO = `sha256:${'0'.repeat(64)}`;
  await createBareRepo(join(dir, 'config.git'), { 'staging.yaml': `image: ${registry.host}/app@${ZERO}\n` });
  await writeFile(
    join(dir, 'gantry.yaml'),
    `dataDir: .gantry
repositories:
  config: { url: ./config.git }
registries:
  reg: { url: "${registry.url}", host: "${registry.host}"${REGISTRY_RPS ? `, limits: { requestsPerSecond: ${REGISTRY_RPS}, concurrency: 32 }` : ''} }
server:
  schedules: []
${databaseUrl ? `  databaseUrl: "${databaseUrl}"\n` : ''}pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: reg, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source: { type: git, repository: config, path: staging.yaml, updater: { type: image-path, path: image } }
`,
  );
  const child = fork(SERVER, [dir], {
    execArgv: ['--import', 'tsx', ...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const started = await ask<{ url: string; token: string }>(child, {}, 'started');
    const cpu0 = await ask<{ ms: number }>(child, { type: 'cpu' }, 'cpu');
    const r = await load(started.url, started.token, registry.host);
    const cpu1 = await ask<{ ms: number }>(child, { type: 'cpu' }, 'cpu');
    const total = r.latencies.length;
    console.log(
      `\nartifact report ingestion, ${label}: ${total} reports at ${RATE}/s from another process (sent in ${fmt(r.sentMs)}, answered in ${fmt(r.elapsedMs)})`,
    );
    row('p50 / p99', `${fmt(percentile(r.latencies, 50))} / ${fmt(percentile(r.latencies, 99))}`);
    row('max', fmt(Math.max(...r.latencies)));
    // a stall shows where it was: at the start (warming up) or all along (falling behind)
    const seconds = Array.from({ length: SECONDS }, (_, s) => r.bySend.slice(s * RATE, (s + 1) * RATE));
    row('p99 by second sent', seconds.map((l) => fmt(percentile(l, 99))).join(' '));
    const answered = Object.entries(r.statuses)
      .filter(([s]) => s.startsWith('2'))
      .reduce((n, [, c]) => n + c, 0);
    row(
      'server CPU per recorded report',
      fmt((cpu1.ms - cpu0.ms) / Math.max(1, answered)),
      `user + system of the server process over the run, / ${answered} answered 2xx (load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores)`,
    );
    row(
      'statuses',
      Object.entries(r.statuses)
        .map(([s, c]) => `${s}: ${c}`)
        .join(', '),
    );
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send({ type: 'stop' });
    await exited;
  }
}

/** The `artifacts` part of `npm run bench`. */
export async function artifactBench(root: string): Promise<void> {
  console.log(
    `\nartifact reports: POST /api/v1/artifacts at ${RATE}/s for ${SECONDS} s, registry budget ${REGISTRY_RPS ? `${REGISTRY_RPS}/s` : 'default (10/s, 4 at once)'}`,
  );
  const registry = await startRegistry();
  try {
    // the registry holds some of the builds; the rest are reported unverified after its 404
    for (let i = 0; i < 5; i++) await pushTestImage(registry.url, 'app', `v${i}`, { labels: { n: String(i) } });
    await ingest(await resetDir(join(root, 'artifacts-sqlite')), registry, undefined, 'SQLite');
    if (await hasPostgres()) {
      await using schema = await postgresSchema('gantry_bench');
      await ingest(await resetDir(join(root, 'artifacts-postgres')), registry, schema.url, 'PostgreSQL');
    } else row('PostgreSQL', 'skipped', 'no server at 127.0.0.1:5432');
  } finally {
    await registry.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await artifactBench(join(import.meta.dirname, '.work'));
