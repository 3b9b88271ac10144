/**
 * API figures at fleet scale (issue 15) without the whole fleet: the real app and the real state
 * cache (`createStateCache`), seeded through its own read path with the statuses a 10,000-pipeline
 * fleet reads (oci -> staging -> production, digests and commits as Git and a registry give them),
 * in a server process of its own; paced load from another (wrk, else autocannon). Each figure is
 * printed beside the same at 1,000 pipelines, with the server's CPU time per request, which holds
 * on a loaded machine when wall-clock percentiles do not. `npx tsx bench/fleet-api-bench.ts`;
 * `BENCH_FLEET_SIZES=1000,10000`.
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine, PipelineStatus } from '@gantry/core';
import { silentLogger } from '@gantry/core';
import type { ServerDeps, StateCache } from '@gantry/server';
import { createEventBus, createStateCache } from '@gantry/server';
import { serveApp } from './serve-app.js';
import { cannon, wrkPaced } from './server-bench.js';
import { row } from './sh.js';

const SIZES = (process.env.BENCH_FLEET_SIZES ?? '1000,10000').split(',').map(Number);
const SELF = fileURLToPath(import.meta.url);
const TEAMS = ['payments', 'search', 'web', 'platform', 'data'];
const sha = (s: string, len = 64) => createHash('sha256').update(s).digest('hex').slice(0, len);

/**
 * What the state cache reads for pipeline `i` of the fleet bench's fleet (`fleet-gen.ts`): one in
 * seven has production behind staging, one in eleven staging behind the registry too; versions
 * set by one commit per repository of 200 pipelines, at times spread over 90 days.
 */
export function fleetStatus(i: number, now = Date.now()): PipelineStatus {
  const name = `svc-${String(i).padStart(5, '0')}`;
  const head = `sha256:${sha(`image-${i}`)}`;
  const staging = i % 11 === 0 ? `sha256:${sha(`older-${i}`)}` : head;
  const production = i % 7 === 0 ? `sha256:${sha(`old-${i}`)}` : staging;
  const commit = { id: sha(`commit-${Math.floor(i / 200)}`, 40), author: 'Bench <bench@example.com>' };
  const time = new Date(now - ((i * 7919 + 13) % 90) * 86_400_000 - (i % 3600) * 1000);
  const version = (d: string) => `registry.example.com/svc-${i}@${d.slice(0, 19)}`;
  const resource = (d: string) => ({ kind: 'oci-image', repository: `registry.example.com/svc-${i}`, digest: d });
  const git = (phase: string, d: string, up: string, upDigest: string) => ({
    pipeline: name,
    phase,
    labels: { environment: phase },
    source: `git config-${Math.floor(i / 200)}:apps/svc-${i}/${phase}/deployment.yaml`,
    writable: true,
    state: d === upDigest ? ('in-sync' as const) : ('behind' as const),
    resource: resource(d),
    digest: d,
    version: version(d),
    setBy: { ...commit, time, message: 'fleet layout' },
    age: { ms: now - time.getTime() },
    upstreams: [{ phase: up, digest: upDigest, version: version(upDigest), inSync: d === upDigest }],
  });
  return {
    pipeline: name,
    labels: { team: TEAMS[i % TEAMS.length] ?? 'web' },
    phases: [
      {
        pipeline: name,
        phase: 'oci',
        labels: {},
        source: `oci registry-${i % 2}:svc-${i}`,
        writable: false,
        state: 'source',
        resource: resource(head),
        digest: head,
        version: version(head),
        setBy: { id: head, time },
        age: { ms: now - time.getTime() },
        upstreams: [],
      },
      git('staging', staging, 'oci', head),
      git('production', production, 'staging', staging),
    ],
  } as PipelineStatus;
}

/**
 * The real state cache over an engine that answers the fleet's statuses: everything the API
 * serves goes through the cache's own read path (`refresh`), as after a reconcile.
 */
export async function seededState(count: number): Promise<{ state: StateCache; engine: Engine }> {
  const now = Date.now();
  const statuses = new Map(Array.from({ length: count }, (_, i) => fleetStatus(i, now)).map((s) => [s.pipeline, s]));
  const pipelines = [...statuses.values()].map((s) => ({
    name: s.pipeline,
    labels: s.labels,
    phases: s.phases.map((ph) => ({ name: ph.phase, labels: ph.labels })),
  }));
  const engine = {
    system: { pipelines, repositories: {}, registries: {} },
    status: async (name?: string) => {
      const s = name === undefined ? undefined : statuses.get(name);
      return s ? [s] : [...statuses.values()];
    },
  } as unknown as Engine;
  const state = createStateCache(engine, createEventBus(), silentLogger);
  await state.refresh();
  return { state, engine };
}

/** The real app over a seeded state; the store answers only what the list and the overview ask (no holds, no tokens). */
export async function serveSeeded(count: number): Promise<{ url: string; close(): Promise<void> }> {
  const { state, engine } = await seededState(count);
  const store = new Proxy({ activeHolds: async () => [], listTokens: async () => [] } as Record<string, unknown>, {
    get(target, key) {
      if (typeof key === 'string' && key in target) return target[key];
      throw new Error(`fleet bench: an unexpected store call (${String(key)})`);
    },
  });
  return serveApp('fleet bench', { engine, store: store as unknown as ServerDeps['store'], state });
}

interface Load {
  p50: number;
  p99: number;
  rps: number;
  /** Server CPU (user + system) per request served, ms. */
  cpuPerRequest: number;
  tool: string;
}

/** A server in a process of its own: CPU time is read there, over IPC, around each load. */
async function startServerProcess(count: number) {
  const child = fork(SELF, ['serve', String(count)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`fleet api server exited ${code}`))),
  );
  exited.catch(() => undefined);
  const next = <T>(): Promise<T> =>
    Promise.race([new Promise<T>((resolve) => child.once('message', (r) => resolve(r as T))), exited]);
  const { url } = await next<{ url: string }>();
  const ask = <T>(m: object): Promise<T> => {
    const answer = next<T>();
    child.send(m);
    return answer;
  };
  return {
    url,
    cpu: () => ask<{ cpu: number }>({ type: 'cpu' }).then((r) => r.cpu),
    stop: () => {
      child.send({ type: 'stop' });
      return exited.catch(() => undefined);
    },
  };
}

async function paced(
  server: Awaited<ReturnType<typeof startServerProcess>>,
  path: string,
  dir: string,
  headers: Record<string, string> = {},
): Promise<Load> {
  const before = await server.cpu();
  const url = `${server.url}${path}`;
  const w = await wrkPaced(url, 500, 10, dir, headers);
  const r = w
    ? { ...w, tool: 'wrk' }
    : await cannon(url, 500, 10, headers).then((c) => ({
        p50: c.latency.p50,
        p99: c.latency.p99,
        rps: c.requests.average,
        tool: 'autocannon',
      }));
  const cpu = (await server.cpu()) - before;
  return { ...r, cpuPerRequest: cpu / Math.max(1, r.rps * 10) };
}

interface Figures {
  pipelines: number;
  size: number;
  gzip: number;
  floor: Load;
  full: Load;
  revalidated: Load;
  page: Load;
  first: Load;
}

async function measure(count: number, dir: string): Promise<Figures> {
  const server = await startServerProcess(count);
  try {
    const list = await fetch(`${server.url}/api/v1/pipelines`);
    const etag = list.headers.get('etag') ?? '';
    const size = Buffer.byteLength(await list.text());
    const gz = await fetch(`${server.url}/api/v1/pipelines`, { headers: { 'accept-encoding': 'gzip' } });
    const gzip = Number(gz.headers.get('content-length') ?? Number.NaN);
    await gz.arrayBuffer();
    return {
      pipelines: count,
      size,
      gzip,
      floor: await paced(server, '/healthz', dir),
      full: await paced(server, '/api/v1/pipelines', dir),
      revalidated: await paced(server, '/api/v1/pipelines', dir, { 'If-None-Match': etag }),
      page: await paced(server, '/api/v1/pipelines?state=production%3Abehind&limit=100', dir),
      first: await paced(server, '/api/v1/pipelines?limit=50', dir),
    };
  } finally {
    await server.stop();
  }
}

/** p50 / p99 at 500/s for each size, side by side, and the server's CPU per request. */
export async function fleetApiBench(): Promise<void> {
  console.log(
    `\nAPI at fleet scale: ${SIZES.join(' and ')} pipelines x 3 phases, real app and state cache in a server process, paced load at 500/s from another`,
  );
  const dir = await mkdtemp(join(tmpdir(), 'gantry-fleet-api-'));
  try {
    const all: Figures[] = [];
    for (const n of SIZES) all.push(await measure(n, dir));
    const by = (label: string, f: (x: Figures) => string, note = '') => row(label, all.map(f).join(' | '), note);
    const load = (x: Load) =>
      `${x.p50.toFixed(1)} / ${x.p99.toFixed(1)} ms, ${x.cpuPerRequest.toFixed(2)} ms CPU, ${x.rps.toFixed(0)}/s`;
    console.log(
      `\n  sizes: ${all.map((x) => `${x.pipelines} pipelines`).join(' | ')}; ${all[0]?.full.tool} paced to 500/s`,
    );
    by('whole list: JSON / gzip', (x) => `${(x.size / 1024).toFixed(0)} / ${(x.gzip / 1024).toFixed(0)} KiB`);
    by('GET /healthz (the machine now)', (x) => load(x.floor), 'p50 / p99, server CPU per request, served');
    by('GET /pipelines (whole list, gzip)', (x) => load(x.full), 'target p99 < 20 ms');
    by('  revalidated (If-None-Match: 304)', (x) => load(x.revalidated));
    by('GET ?state=production:behind&limit=100', (x) => load(x.page), 'target p99 < 20 ms');
    by('GET ?limit=50 (the overview first rows)', (x) => load(x.first));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'serve') {
  // the server process: the seeded app, its CPU time on request
  const server = await serveSeeded(Number(process.argv[3]));
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'cpu') {
      const u = process.cpuUsage();
      process.send?.({ cpu: (u.user + u.system) / 1000 });
    } else if (m.type === 'stop') {
      await server.close();
      process.exit(0);
    }
  });
  process.send?.({ url: server.url });
} else if (import.meta.url === `file://${process.argv[1]}`) {
  fleetApiBench().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
