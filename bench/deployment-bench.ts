import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import { createClient } from '@gantry/client';
import { fluxEventFor } from '@gantry/deployments';
import type { RunningServer } from '@gantry/server';
import { startServer } from '@gantry/server';
import { resetDir } from './git-bench.js';
import { settled } from './server-bench.js';
import { fmt, median, percentile, row } from './sh.js';

const SECRET = 'bench-flux-secret';
const json = { 'content-type': 'application/json' };

const succeeded = (server: RunningServer, phase: string, digest: string) =>
  settled(
    server,
    (e) =>
      e.type === 'promotion' &&
      e.promotion.phase === phase &&
      e.promotion.toDigest === digest &&
      e.promotion.state === 'succeeded',
  );

/**
 * After the push: a Flux report that staging is healthy -> staging verified -> production
 * auto-promoted and pushed, beside production promoted by hand; then 1,000 deployer reports
 * ingested (SQLite), as events/s and per-request latency.
 */
export async function deploymentBench(root: string, runs: number): Promise<void> {
  console.log(
    `\ndeployer event -> staging verified -> production commit, beside production by hand, median of ${runs}`,
  );
  const dir = await resetDir(join(root, 'deploy-sandbox'));
  await initSandbox(dir, { yaml: true });
  const file = join(dir, 'gantry.yaml');
  const text = (await readFile(file, 'utf8'))
    .replace(
      '        labels: { environment: staging }\n',
      '        labels: { environment: staging }\n        deployer: { kind: flux-kustomization, namespace: flux-system, name: staging }\n',
    )
    .replace('promotesFrom: staging', 'promotesFrom: staging\n        autoPromote: true');
  await writeFile(file, `${text}server:\n  schedules: []\n  webhooks:\n    flux: { secret: ${SECRET} }\n`);
  const runtime = await openRuntime({ cwd: dir, env: {}, logger: silentLogger });
  const server = await startServer({ runtime, listen: false });
  const promote = async (phase: string) => {
    const res = await server.app.request(`/api/v1/pipelines/app/phases/${phase}/promotions`, {
      method: 'POST',
      headers: json,
      body: '{}',
    });
    if (res.status !== 202) throw new Error(`promote ${phase}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { promotion: { id: string } }).promotion.id;
  };
  const stagingTo = async (digest: string) => {
    const landed = succeeded(server, 'staging', digest);
    const id = await promote('staging');
    await landed;
    return (await server.store.getPromotion(id))?.commitSha as string;
  };
  const byHand: number[] = [];
  const byEvent: number[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      // by hand: staging holds the new version; a person promotes production
      let digest = await pushSandboxImage(dir);
      await stagingTo(digest);
      let t0 = performance.now();
      let landed = succeeded(server, 'production', digest);
      await promote('production');
      await landed;
      byHand.push(performance.now() - t0);

      // by event: Flux reports staging's commit healthy; verified -> production auto-promoted
      digest = await pushSandboxImage(dir);
      const commit = await stagingTo(digest);
      const event = fluxEventFor({
        ref: { kind: 'flux-kustomization', namespace: 'flux-system', name: 'staging' },
        commit,
        branch: 'main',
        ok: true,
        time: new Date(),
        secret: SECRET,
      });
      t0 = performance.now();
      landed = succeeded(server, 'production', digest);
      const res = await server.app.request('/api/v1/webhooks/flux', {
        method: 'POST',
        body: event.body,
        headers: { ...event.headers },
      });
      if (res.status !== 202) throw new Error(`flux event: ${res.status} ${await res.text()}`);
      await landed;
      byEvent.push(performance.now() - t0);
    }
    const h = median(byHand);
    const e = median(byEvent);
    row('production promoted by hand (API)', fmt(h), 'baseline');
    row('Flux event -> verified -> production pushed', fmt(e), `${(e / h).toFixed(2)}x by hand (target <= 1.3x)`);

    // --- 1,000 deployer reports, 8 in flight -------------------------------------------------
    const commit = (await server.store.committedPromotions('app', 'staging'))[0]?.commitSha as string;
    const events = Array.from({ length: 1000 }, (_, i) =>
      fluxEventFor({
        ref: { kind: 'flux-kustomization', namespace: 'flux-system', name: i % 2 === 0 ? 'staging' : `other-${i}` },
        commit,
        branch: 'main',
        ok: true,
        time: new Date(Date.UTC(2030, 0, 1) + i * 1000),
        secret: SECRET,
      }),
    );
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < events.length) {
          const ev = events[next++];
          if (!ev) break;
          const t = performance.now();
          const res = await server.app.request('/api/v1/webhooks/flux', {
            method: 'POST',
            body: ev.body,
            headers: { ...ev.headers },
          });
          if (res.status !== 202 && res.status !== 200) throw new Error(`ingest: ${res.status} ${await res.text()}`);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const total = performance.now() - started;
    const recorded = (await server.store.listDeployerEvents({ limit: 500 })).items.length;
    row(
      '1,000 deployer events ingested (SQLite)',
      fmt(total),
      `${((1000 / total) * 1000).toFixed(0)} events/s, 8 in flight`,
    );
    row(
      'p50 / p99 per event',
      `${fmt(median(latencies))} / ${fmt(percentile(latencies, 99))}`,
      `target p99 < 50 ms; ${recorded >= 500 ? 'all recorded' : `only ${recorded} recorded`}`,
    );
  } finally {
    await server.close();
    await runtime.close();
  }
}

/**
 * What `gantry track` waits on: from the deployer's report that completes a promotion (healthy,
 * no checks: verified at once) to the moment an event-stream subscriber (the client track
 * uses) sees it verified.
 */
export async function trackLatencyBench(root: string, runs: number): Promise<void> {
  console.log(`\ngantry track: completing deployer event -> verified seen on the event stream, median of ${runs}`);
  const dir = await resetDir(join(root, 'track-sandbox'));
  await initSandbox(dir, { yaml: true });
  const file = join(dir, 'gantry.yaml');
  const text = (await readFile(file, 'utf8')).replace(
    '        labels: { environment: staging }\n',
    '        labels: { environment: staging }\n        deployer: { kind: flux-kustomization, namespace: flux-system, name: staging }\n',
  );
  await writeFile(file, `${text}server:\n  schedules: []\n  webhooks:\n    flux: { secret: ${SECRET} }\n`);
  const runtime = await openRuntime({ cwd: dir, env: {}, logger: silentLogger });
  const server = await startServer({ runtime, port: 0 });
  const client = createClient({ baseUrl: server.url as string });
  const abort = new AbortController();
  const waiters = new Map<string, (t: number) => void>();
  let opened!: () => void;
  const open = new Promise<void>((r) => {
    opened = r;
  });
  void client
    .events(
      (e) => {
        if (e.type === 'promotion' && e.promotion.verification?.state === 'verified') {
          waiters.get(e.promotion.id)?.(performance.now());
        }
      },
      abort.signal,
      () => opened(),
    )
    .catch(() => undefined);
  await open;
  const latencies: number[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const digest = await pushSandboxImage(dir);
      const landed = succeeded(server, 'staging', digest);
      const res = await server.app.request('/api/v1/pipelines/app/phases/staging/promotions', {
        method: 'POST',
        headers: json,
        body: '{}',
      });
      const id = ((await res.json()) as { promotion: { id: string } }).promotion.id;
      await landed;
      const commit = (await server.store.getPromotion(id))?.commitSha as string;
      const seen = new Promise<number>((resolve) => waiters.set(id, resolve));
      const event = fluxEventFor({
        ref: { kind: 'flux-kustomization', namespace: 'flux-system', name: 'staging' },
        commit,
        branch: 'main',
        ok: true,
        time: new Date(),
        secret: SECRET,
      });
      const t0 = performance.now();
      const posted = await fetch(`${server.url}/api/v1/webhooks/flux`, {
        method: 'POST',
        body: event.body,
        headers: { ...event.headers },
      });
      if (posted.status !== 202) throw new Error(`flux event: ${posted.status}`);
      latencies.push((await seen) - t0);
    }
    row('deployer event -> verified on the stream', fmt(median(latencies)), 'target < 50 ms');
  } finally {
    abort.abort();
    await server.close();
    await runtime.close();
  }
}
