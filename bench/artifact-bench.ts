/**
 * Artifact report ingestion: `POST /api/v1/artifacts` at a steady rate (default 200 reports/s for
 * 10 s) over HTTP on loopback, against a real docker-registry, on SQLite and (when reachable)
 * PostgreSQL. Each report is a new build (a new digest) with two steps; one in ten is a replay.
 * Prints the latency percentiles; asserts nothing. `npx tsx bench/artifact-bench.ts`;
 * ARTIFACT_RATE and ARTIFACT_SECONDS change the load, ARTIFACT_REGISTRY_RPS the registry's request budget.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import { startServer } from '@gantry/server';
import type { TestRegistry } from '@gantry/testing';
import { createBareRepo, hasPostgres, postgresSchema, pushTestImage, startRegistry, tempDir } from '@gantry/testing';
import { fmt, percentile, row } from './sh.js';

const RATE = Number(process.env.ARTIFACT_RATE ?? 200);
const SECONDS = Number(process.env.ARTIFACT_SECONDS ?? 10);
/** The local registry's request budget (requests/s); unset: Gantry's default (10/s, 4 at once). */
const REGISTRY_RPS = process.env.ARTIFACT_REGISTRY_RPS;

const digestOf = (i: number) => `sha256:${createHash('sha256').update(`build ${i}`).digest('hex')}`;

async function ingest(registry: TestRegistry, databaseUrl: string | undefined, label: string): Promise<void> {
  const tmp = await tempDir('gantry-artifact-bench-');
  const ZERO = `sha256:${'0'.repeat(64)}`;
  await createBareRepo(join(tmp.path, 'config.git'), { 'staging.yaml': `image: ${registry.host}/app@${ZERO}\n` });
  await writeFile(
    join(tmp.path, 'gantry.yaml'),
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
  const runtime = await openRuntime({ cwd: tmp.path, env: {}, logger: silentLogger });
  const server = await startServer({ runtime, port: 0 });
  const { token } = await server.store.createToken({ name: 'ci', role: 'ci' });
  const total = RATE * SECONDS;
  const latencies: number[] = [];
  const statuses = new Map<number | string, number>();
  const post = async (i: number) => {
    // one in ten repeats an earlier report (a retried job)
    const n = i % 10 === 9 ? i - 5 : i;
    const started = performance.now();
    const res = await fetch(`${server.url}/api/v1/artifacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-gantry-request': '1' },
      body: JSON.stringify({
        image: `${registry.host}/app`,
        digest: digestOf(n),
        source: {
          repository: 'https://github.com/acme/app',
          commit: createHash('sha1').update(String(n)).digest('hex'),
          branch: n % 3 === 0 ? 'main' : `feature/${n % 7}`,
          author: { name: 'Ann Example', email: 'ann@example.com' },
          message: `build ${n}`,
        },
        ci: { runUrl: `https://github.com/acme/app/actions/runs/${n}`, provider: 'github-actions' },
        steps: [
          { name: 'build', status: 'succeeded', durationMs: 60_000 },
          { name: 'test', status: 'succeeded', durationMs: 120_000 },
        ],
      }),
    }).catch((e: unknown) => e as Error);
    const status =
      res instanceof Response ? res.status : `error ${(res.cause as { code?: string })?.code ?? res.message}`;
    if (res instanceof Response) await res.arrayBuffer();
    latencies.push(performance.now() - started);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  };
  // open loop: requests leave on schedule whether or not earlier ones have answered
  const begin = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = begin + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(post(i));
  }
  await Promise.all(inflight);
  const elapsed = performance.now() - begin;
  console.log(`\nartifact report ingestion, ${label}: ${total} reports at ${RATE}/s (${fmt(elapsed)} in all)`);
  row('p50', fmt(percentile(latencies, 50)));
  row('p99', fmt(percentile(latencies, 99)));
  row('max', fmt(Math.max(...latencies)));
  row('statuses', [...statuses].map(([s, c]) => `${s}: ${c}`).join(', '));
  await server.close();
  await runtime.close();
  await tmp.remove();
}

async function main(): Promise<void> {
  const registry = await startRegistry();
  try {
    // the registry holds some of the builds; the rest are reported unverified after its 404
    for (let i = 0; i < 5; i++) await pushTestImage(registry.url, 'app', `v${i}`, { labels: { n: String(i) } });
    await ingest(registry, undefined, 'SQLite');
    if (await hasPostgres()) {
      await using schema = await postgresSchema('gantry_bench');
      await ingest(registry, schema.url, 'PostgreSQL');
    }
  } finally {
    await registry.stop();
  }
}

await main();
