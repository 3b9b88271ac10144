import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import type { RunningServer } from '@gantry/server';
import { startServer } from '@gantry/server';
import { createBareRepo, startHangingServer, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { deploymentYaml, gitPipelineYaml } from './git-pipelines.js';
import { until } from './until.js';

const digest = `sha256:${'1'.repeat(64)}`;

/** A bare repository `live.git` holding pipeline `live`'s files, and gantry.yaml naming `repositories` and `pipelines`. */
async function writeProject(dir: string, repositories: string, pipelines: string): Promise<void> {
  await createBareRepo(join(dir, 'live.git'), {
    'live/staging.yaml': deploymentYaml(digest),
    'live/production.yaml': deploymentYaml(digest),
  });
  await writeFile(
    join(dir, 'gantry.yaml'),
    `dataDir: .gantry\nrepositories:\n  live: { url: ./live.git }\n${repositories}server:\n  schedules: []\npipelines:\n${pipelines}`,
  );
}

type Runtime = Awaited<ReturnType<typeof openRuntime>>;

describe('a server that listens while it reads every pipeline (gantry serve)', () => {
  it('GIVEN a config repository that never answers WHEN the server starts with observeBeforeListening false THEN it answers /healthz at once, /readyz 503 and the pipelines read so far until every one is read, then ready', async () => {
    const dead = await startHangingServer();
    const tmp = await tempDir('gantry-listen-first-');
    let runtime: Runtime | undefined;
    let server: RunningServer | undefined;
    try {
      // GIVEN
      await writeProject(
        tmp.path,
        `  dead: { url: "${dead.url}/config.git" }\n`,
        gitPipelineYaml('stuck', 'dead') + gitPipelineYaml('live', 'live'),
      );
      runtime = await openRuntime({ cwd: tmp.path, env: {}, logger: silentLogger });
      // WHEN
      const running = await startServer({ runtime, port: 0, observeBeforeListening: false });
      server = running;
      let observed = false;
      void running.observed.then(() => {
        observed = true;
      });
      // THEN it listens while the dead repository's fetch hangs
      const base = running.url as string;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const notReady = await fetch(`${base}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ code: 'not_ready' });
      // AND the list shows what has been read: the live pipeline, not yet the stuck one
      const list = await until(async () => {
        const body = (await (await fetch(`${base}/api/v1/pipelines`)).json()) as {
          pipelines: { pipeline: string; phases: { state: string }[] }[];
        };
        return body.pipelines.some((p) => p.pipeline === 'live') ? body : undefined;
      }, 'the live pipeline in the list');
      expect(list.pipelines.map((p) => p.pipeline)).toEqual(['live']);
      expect(observed).toBe(false);
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      // WHEN the dead server goes away, its fetch fails
      await dead.stop();
      await running.observed;
      // THEN every pipeline has been read, the stuck one's phases as errors, and the server is ready
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      const all = (await (await fetch(`${base}/api/v1/pipelines`)).json()) as {
        pipelines: { pipeline: string; phases: { state: string }[] }[];
      };
      expect(all.pipelines.map((p) => p.pipeline)).toEqual(['stuck', 'live']);
      expect(all.pipelines[0]?.phases[0]?.state).toBe('error');
    } finally {
      await dead.stop();
      await server?.close();
      await runtime?.close();
      await tmp.remove();
    }
  }, 90_000);

  it('GIVEN the default WHEN the server starts THEN it listens only once every pipeline is read, ready from the first request', async () => {
    const tmp = await tempDir('gantry-listen-after-');
    let runtime: Runtime | undefined;
    let server: RunningServer | undefined;
    try {
      // GIVEN
      await writeProject(tmp.path, '', gitPipelineYaml('live', 'live'));
      runtime = await openRuntime({ cwd: tmp.path, env: {}, logger: silentLogger });
      // WHEN
      server = await startServer({ runtime, port: 0 });
      // THEN
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect(server.deps.state.get('live')?.phases[1]?.state).toBe('in-sync');
    } finally {
      await server?.close();
      await runtime?.close();
      await tmp.remove();
    }
  }, 60_000);
});
