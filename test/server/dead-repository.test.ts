import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import type { GantryEvent } from '@gantry/server';
import { createEventBus, createStateCache } from '@gantry/server';
import { createBareRepo, startHangingServer, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { deploymentYaml, gitPipelineYaml } from './git-pipelines.js';

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const deployment = (n: number) => deploymentYaml(digest(n));

type Runtime = Awaited<ReturnType<typeof openRuntime>>;

describe('a Git repository that never answers', () => {
  it('GIVEN one config repository whose server hangs and one healthy WHEN every pipeline is read THEN the healthy pipelines are observed while the dead fetch still hangs, and its own phases end as errors', async () => {
    const dead = await startHangingServer();
    const tmp = await tempDir('gantry-dead-repository-');
    let runtime: Runtime | undefined;
    let all: Promise<unknown> | undefined;
    try {
      const live = ['live-0', 'live-1', 'live-2'];
      const stuck = ['dead-0', 'dead-1'];
      const files: Record<string, string> = {};
      live.forEach((n, i) => {
        files[`${n}/staging.yaml`] = deployment(i + 1);
        files[`${n}/production.yaml`] = deployment(i + 1);
      });
      await createBareRepo(join(tmp.path, 'live.git'), files);
      await writeFile(
        join(tmp.path, 'gantry.yaml'),
        `dataDir: .gantry
repositories:
  live: { url: ./live.git }
  dead: { url: "${dead.url}/config.git" }
server:
  schedules: []
pipelines:
${stuck.map((n) => gitPipelineYaml(n, 'dead')).join('')}${live.map((n) => gitPipelineYaml(n, 'live')).join('')}`,
      );
      runtime = await openRuntime({ cwd: tmp.path, env: {}, logger: silentLogger });
      const bus = createEventBus();
      const cache = createStateCache(runtime.engine, bus, silentLogger);
      const seen = new Set<string>();
      const healthy = new Promise<void>((resolve) => {
        bus.subscribe((e: GantryEvent) => {
          if (e.type !== 'phase' || !live.includes(e.status.pipeline) || e.status.phase !== 'production') return;
          if (e.status.state === 'in-sync') seen.add(e.status.pipeline);
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
      // THEN the dead repository's fetch is still waiting: nothing of it has come back
      expect(dead.accepted()).toBeGreaterThan(0);
      expect(settled).toBe(false);
      for (const n of stuck) expect(cache.get(n)).toBeUndefined();
      for (const n of live)
        expect(cache.get(n)?.phases[1]).toMatchObject({ state: 'in-sync', digest: digest(live.indexOf(n) + 1) });
      // the server going away ends its fetch as an error of its own phases, not as lost phases
      await dead.stop();
      await all;
      for (const n of stuck) expect(cache.get(n)?.phases[0]).toMatchObject({ state: 'error' });
      // one fetch per repository in the round (the dead one's counted when it failed, or not at all)
      expect(runtime.repositories.stats().fetches).toBeLessThanOrEqual(2);
    } finally {
      await dead.stop();
      await all?.catch(() => undefined);
      await runtime?.close();
      await tmp.remove();
    }
  }, 90_000);
});
