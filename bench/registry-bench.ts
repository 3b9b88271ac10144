/**
 * Registry requests per reconcile (issue 15): the 1,000-pipeline server workload with an OCI
 * phase in front (oci -> staging -> production), images in a real docker-registry, one image
 * repository per pipeline. Counts what each no-change reconcile asks the registry.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import { startServer } from '@gantry/server';
import { pushTestImage, startRegistry } from '@gantry/testing';
import { servicePath } from './realistic-repo.js';
import { fmt, row } from './sh.js';

function fleetYaml(services: number, registryUrl: string): string {
  const lines = [
    'repositories:',
    '  config: { url: ./remote.git, branch: main }',
    'registries:',
    // the bench's own registry on this machine: a budget far above the default 10/s, so the
    // figures count requests, not the wait for tokens
    `  images: { url: "${registryUrl}", limits: { requestsPerSecond: 5000, concurrency: 16 } }`,
    'server:',
    '  schedules: []',
    'pipelines:',
  ];
  for (let i = 0; i < services; i++) {
    lines.push(`  - name: svc-${i}`, '    resource: oci-image', '    labels: { team: bench }', '    phases:');
    lines.push(
      '      - name: oci',
      `        source: { type: oci, registry: images, repository: svc-${i}, select: { by: tag, tag: latest } }`,
    );
    lines.push(
      '      - name: staging',
      '        promotesFrom: oci',
      `        source: { type: git, repository: config, path: ${servicePath(i, 'staging')}, updater: { type: kubernetes-image, container: app } }`,
      '      - name: production',
      '        promotesFrom: staging',
      `        source: { type: git, repository: config, path: ${servicePath(i, 'production')}, updater: { type: kubernetes-image, container: app } }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** Registry requests of the first observation and of no-change reconciles, beside the distinct repository:tag pairs. */
export async function registryRequestsBench(root: string, services: number): Promise<void> {
  console.log(
    `\nregistry requests per reconcile: ${services} pipelines x 3 phases (oci -> staging -> production), ${services} image repositories in a real docker-registry`,
  );
  const registry = await startRegistry();
  try {
    const ids = Array.from({ length: services }, (_, i) => i);
    const pushStarted = performance.now();
    await pool(ids, 8, (i) => pushTestImage(registry.url, `svc-${i}`, 'latest', { labels: { svc: String(i) } }));
    row('images pushed', fmt(performance.now() - pushStarted), `${services} repositories, tag latest`);
    await writeFile(join(root, 'gantry.yaml'), fleetYaml(services, registry.url));
    const runtime = await openRuntime({ cwd: root, env: {}, logger: silentLogger });
    const stats = () => runtime.registries.stats();
    const s0 = stats();
    const started = performance.now();
    const server = await startServer({ runtime, listen: false });
    const s1 = stats();
    row('first observation (server start)', fmt(performance.now() - started), `${s1.requests - s0.requests} requests`);
    const pipelines = runtime.system.pipelines.map((p) => p.name);
    const reconciler = server.deps.reconciler;
    if (!reconciler) throw new Error('the server has no reconciler');
    const reconcile = async (label: string, note: string) => {
      const before = stats();
      const t = performance.now();
      const statuses = await reconciler.reconcile(pipelines, { kind: 'schedule', schedule: 'bench' });
      const ms = performance.now() - t;
      const after = stats();
      const errors = statuses.flatMap((p) => p.phases).filter((p) => p.state === 'error').length;
      const requests = after.requests - before.requests;
      row(
        label,
        `${requests} requests`,
        `${(requests / services).toFixed(2)} per distinct repository:tag, ${after.notModified - before.notModified} answered 304, ${fmt(ms)}, ${errors} errors; ${note}`,
      );
    };
    try {
      await reconcile('no-change reconcile within the tag cache TTL (60 s)', 'target <= 1 per repository:tag');
      // what the TTL running out does to every entry at once: the next round asks, conditionally
      for (let i = 0; i < services; i++) runtime.registries.changed(`svc-${i}`, 'images');
      await reconcile('no-change reconcile after the TTL (every tag asked again)', 'target <= 1 per repository:tag');
      runtime.registries.changed('svc-0', 'images');
      await reconcile('reconcile after one push webhook', 'target: 1 (the pushed repository)');
    } finally {
      await server.close();
      await runtime.close();
    }
  } finally {
    await registry.stop();
  }
}
