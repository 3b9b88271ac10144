import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import type { GantryEvent, RunningServer } from '@gantry/server';
import { createEventBus, createStateCache, startServer } from '@gantry/server';
import {
  createBareRepo,
  hasTool,
  pushTestImage,
  startHangingServer,
  startRateLimitingProxy,
  startRegistry,
  tempDir,
} from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { deploymentYaml } from './git-pipelines.js';

const ZERO = `sha256:${'0'.repeat(64)}`;
const deployment = (image: string) => deploymentYaml(ZERO, image);

const pipelineYaml = (name: string, registry: string, repository: string) => `  - name: ${name}
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: ${registry}, repository: ${repository}, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source: { type: git, repository: config, path: ${name}.yaml, updater: { type: kubernetes-image, container: app } }
`;

type Runtime = Awaited<ReturnType<typeof openRuntime>>;

describe.skipIf(!hasTool('docker-registry'))('registries that hang or rate-limit', () => {
  it('GIVEN one registry that never answers and one healthy WHEN every pipeline is read THEN the healthy pipelines are observed while the dead registry still holds its requests', async () => {
    const dead = await startHangingServer();
    const registry = await startRegistry();
    const tmp = await tempDir('gantry-dead-registry-');
    let runtime: Runtime | undefined;
    let all: Promise<unknown> | undefined;
    try {
      const live = ['live-0', 'live-1', 'live-2'];
      const stuck = ['dead-0', 'dead-1', 'dead-2', 'dead-3'];
      const pushed: Record<string, string> = {};
      for (const name of live) pushed[name] = await pushTestImage(registry.url, name, 'latest', { labels: { name } });
      const files = Object.fromEntries(
        [...live, ...stuck].map((n) => [`${n}.yaml`, deployment(`${registry.host}/${n}`)]),
      );
      await createBareRepo(join(tmp.path, 'config.git'), files);
      await writeFile(
        join(tmp.path, 'gantry.yaml'),
        `dataDir: .gantry
repositories:
  config: { url: ./config.git }
registries:
  dead: { url: "${dead.url}", timeout: 120s, limits: { concurrency: 1 } }
  live: { url: "${registry.url}", host: "${registry.host}" }
server:
  schedules: []
pipelines:
${stuck.map((n) => pipelineYaml(n, 'dead', n)).join('')}${live.map((n) => pipelineYaml(n, 'live', n)).join('')}`,
      );
      runtime = await openRuntime({ cwd: tmp.path, env: {}, logger: silentLogger });
      const bus = createEventBus();
      // two pipelines at once per group of sources: the four on the dead registry would fill a shared pool
      const cache = createStateCache(runtime.engine, bus, silentLogger, undefined, {
        registries: runtime.registries,
        readsPerGroup: 2,
      });
      const seen = new Set<string>();
      const healthy = new Promise<void>((resolve) => {
        bus.subscribe((e: GantryEvent) => {
          if (e.type !== 'phase' || !live.includes(e.status.pipeline) || e.status.phase !== 'oci') return;
          if (e.status.digest === pushed[e.status.pipeline]) seen.add(e.status.pipeline);
          if (seen.size === live.length) resolve();
        });
      });
      let settled = false;
      all = cache.refresh().finally(() => {
        settled = true;
      });
      // WHEN the healthy pipelines have been observed ...
      await Promise.race([
        healthy,
        new Promise((_, reject) => setTimeout(() => reject(new Error('healthy pipelines not observed')), 30_000)),
      ]);
      // THEN the dead registry still holds what was sent to it: nothing of it has come back
      expect(dead.accepted()).toBeGreaterThan(0);
      expect(settled).toBe(false);
      for (const n of stuck) expect(cache.get(n)).toBeUndefined();
      for (const n of live) expect(cache.get(n)?.phases[0]).toMatchObject({ state: 'source', digest: pushed[n] });
      // the dead registry going away ends its reads as errors, not as lost phases
      await dead.stop();
      await all;
      for (const n of stuck) expect(cache.get(n)?.phases[0]).toMatchObject({ state: 'error' });
    } finally {
      await dead.stop();
      await all?.catch(() => undefined);
      await runtime?.close();
      await registry.stop();
      await tmp.remove();
    }
  }, 90_000);

  it('GIVEN a served pipeline WHEN its registry answers 429 with a Retry-After of an hour THEN the phase keeps its last state, marked stale and rate-limited until then, in the API and on the event stream', async () => {
    const registry = await startRegistry();
    const proxy = await startRateLimitingProxy(registry.url, { retryAfter: 3600 });
    const tmp = await tempDir('gantry-rate-limited-');
    let runtime: Runtime | undefined;
    let server: RunningServer | undefined;
    try {
      const d1 = await pushTestImage(registry.url, 'app', 'latest', { labels: { v: '1' } });
      await createBareRepo(join(tmp.path, 'config.git'), { 'app.yaml': deployment(`${registry.host}/app`) });
      await writeFile(
        join(tmp.path, 'gantry.yaml'),
        `dataDir: .gantry
repositories:
  config: { url: ./config.git }
registries:
  reg: { url: "${proxy.url}", host: "${registry.host}", cacheTtl: 0s }
server:
  schedules: []
pipelines:
${pipelineYaml('app', 'reg', 'app')}`,
      );
      runtime = await openRuntime({ cwd: tmp.path, env: {}, logger: silentLogger });
      server = await startServer({ runtime, listen: false });
      const s = server;
      const events: GantryEvent[] = [];
      s.deps.bus.subscribe((e) => events.push(e));
      const before = (await (await s.app.request('/api/v1/pipelines/app')).json()) as {
        phases: Array<Record<string, unknown>>;
      };
      expect(before.phases[0]).toMatchObject({ state: 'source', digest: d1 });
      expect(before.phases[1]).toMatchObject({ state: 'behind' });

      // WHEN the registry turns every request away for an hour
      proxy.setRefuse(() => true);
      await s.deps.state.refresh(['app']);
      const res = await s.app.request('/api/v1/pipelines/app');
      expect(res.status).toBe(200);
      const after = (await res.json()) as { phases: Array<Record<string, unknown>> };
      // THEN no phase is lost: oci shows its last version, stale, and when the registry may be asked again
      expect(after.phases[0]).toMatchObject({
        state: 'source',
        digest: d1,
        warning: {
          code: 'registry_rate_limited',
          stale: true,
          registry: { registry: 'reg', state: 'rate-limited', until: expect.any(String) },
        },
      });
      const warning = after.phases[0]?.warning as { registry: { until: string }; observedAt: string };
      expect(Date.parse(warning.registry.until) - Date.now()).toBeGreaterThan(3_500_000);
      expect(typeof warning.observedAt).toBe('string');
      expect(after.phases[1]).toMatchObject({ state: 'behind', upstreams: [{ phase: 'oci', inSync: false }] });
      expect(proxy.counts().refused).toBe(1);
      // the list says so too, and the change went out on the event stream
      const list = (await (await s.app.request('/api/v1/pipelines')).json()) as {
        pipelines: Array<{ phases: Array<Record<string, unknown>> }>;
      };
      expect(list.pipelines[0]?.phases[0]).toMatchObject({ warning: { stale: true } });
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'phase',
          status: expect.objectContaining({ phase: 'oci', warning: expect.objectContaining({ stale: true }) }),
        }),
      );
      // further reads in the hour do not knock again
      await s.deps.state.refresh(['app']);
      expect(proxy.counts().refused).toBe(1);
    } finally {
      await server?.close();
      await runtime?.close();
      await proxy.stop();
      await registry.stop();
      await tmp.remove();
    }
  }, 60_000);
});
