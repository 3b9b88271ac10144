/**
 * The fleet bench's server, in a process of its own (so its RSS and event loop are the server's
 * alone): opens the configuration in the given directory, starts the real server (which observes
 * every phase before it listens), and answers the bench's questions over IPC.
 */
import { writeHeapSnapshot } from 'node:v8';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import { useGitSpawnHelper } from '@gantry/git';
import { startServer } from '@gantry/server';

const dir = process.argv[2];
if (!dir || !process.send) throw new Error('usage: fork fleet-server.ts <dir> (with an IPC channel)');
const send = (m: unknown) => process.send?.(m);

const sinceProcessStart = performance.now();
const t0 = performance.now();
/** CPU time (user + system) of this process since `from`, in ms. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
};
// as `gantry serve` runs: git processes started by a small helper process (GANTRY_GIT_SPAWN_HELPER=0 turns it off)
useGitSpawnHelper();
const c0 = process.cpuUsage();
const runtime = await openRuntime({ cwd: dir, env: {}, logger: silentLogger });
const opened = performance.now();
const c1 = process.cpuUsage();
const g0 = runtime.repositories.stats();
const r0 = runtime.registries.stats();
const server = await startServer({ runtime, port: 0 });
const started = performance.now();
const observeCpuMs = cpuMs(c1);
const g1 = runtime.repositories.stats();
const r1 = runtime.registries.stats();
const errors = (list: readonly { phases: readonly { state: string }[] }[]) =>
  list.flatMap((p) => p.phases).filter((p) => p.state === 'error').length;
let lastRound = Date.now();
// with --expose-gc: what the heap holds once garbage is collected (what RSS cannot tell apart)
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
send({
  type: 'started',
  url: server.url,
  beforeMain: sinceProcessStart,
  configMs: opened - t0,
  observeMs: started - opened,
  configCpuMs: (c1.user + c1.system - c0.user - c0.system) / 1000,
  observeCpuMs,
  fetches: g1.fetches - g0.fetches,
  gitProcesses: g1.processes - g0.processes,
  registryRequests: r1.requests - r0.requests,
  errors: errors(server.deps.state.list()),
  rss: process.memoryUsage().rss,
  memory: process.memoryUsage(),
  ...(gc ? { liveHeap: process.memoryUsage().heapUsed } : {}),
});

// BENCH_FLEET_HEAP_SNAPSHOT=<dir>: a heap snapshot once every phase is observed, to see what holds memory
if (process.env.BENCH_FLEET_HEAP_SNAPSHOT)
  writeHeapSnapshot(`${process.env.BENCH_FLEET_HEAP_SNAPSHOT}/fleet-started.heapsnapshot`);

const pipelines = runtime.system.pipelines.map((p) => p.name);
const images = runtime.system.pipelines.flatMap((p) =>
  p.phases.flatMap((ph) => (ph.source.subject?.kind === 'oci' ? [ph.source.subject] : [])),
);
let peakRss = process.memoryUsage().rss;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100).unref();

process.on('message', async (m: { type: string; expire?: boolean }) => {
  if (m.type === 'reconcile') {
    // the clone cache fetches a repository older than 2 s: wait it out (since the last round), so
    // the round fetches as a schedule's would
    const wait = 2100 - (Date.now() - lastRound);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    lastRound = Date.now();
    if (m.expire) for (const s of images) runtime.registries.changed(s.repository, s.registry);
    const g = runtime.repositories.stats();
    const r = runtime.registries.stats();
    const t = performance.now();
    const c = process.cpuUsage();
    const statuses = await server.deps.reconciler?.reconcile(pipelines, { kind: 'schedule', schedule: 'bench' });
    const ms = performance.now() - t;
    const cpu = cpuMs(c);
    const g2 = runtime.repositories.stats();
    const r2 = runtime.registries.stats();
    send({
      type: 'reconciled',
      ms,
      cpuMs: cpu,
      fetches: g2.fetches - g.fetches,
      gitProcesses: g2.processes - g.processes,
      registryRequests: r2.requests - r.requests,
      notModified: r2.notModified - r.notModified,
      distinctTags: new Set(images.map((s) => `${s.registry}/${s.repository}`)).size,
      errors: errors(statuses ?? []),
      rss: process.memoryUsage().rss,
    });
  } else if (m.type === 'rss') {
    send({ type: 'rss', rss: process.memoryUsage().rss, peak: peakRss });
  } else if (m.type === 'stop') {
    await server.close();
    await runtime.close();
    process.exit(0);
  }
});
