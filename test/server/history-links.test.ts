import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiHistory, ApiPromotion } from '@gantry/api';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';

describe('links on history and promotion answers', () => {
  let s: SandboxServer;
  beforeAll(async () => {
    const tmp = await tempDir('gantry-history-links-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    const file = join(dir, 'gantry.yaml');
    const yaml = (await readFile(file, 'utf8'))
      .replace(
        '    url: ./config.git\n',
        '    url: ./config.git\n    links: { commit: "https://git.example.com/config/commit/{sha}" }\n',
      )
      .replace(
        '    host: localhost:5000\n',
        '    host: localhost:5000\n    links: { image: "https://registry.example.com/{repository}@{digest}" }\n',
      );
    await writeFile(file, `${yaml}server:\n  schedules: []\n`);
    s = await sandboxServer({ tmp });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('GIVEN a promotion of staging WHEN history is asked by phase, by pipeline, across pipelines and by id THEN each carries its commit and image pages', async () => {
    const digest = await pushSandboxImage(s.dir);
    const r = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
    expect(r.status).toBe(202);
    await s.server.deps.promotions.idle();
    const expected = (p: ApiPromotion) => ({
      commit: `https://git.example.com/config/commit/${p.commitSha}`,
      image: `https://registry.example.com/app@${digest}`,
    });
    for (const path of [
      '/api/v1/pipelines/app/phases/staging/history',
      '/api/v1/pipelines/app/history',
      '/api/v1/promotions',
    ]) {
      const res = await s.api(path);
      expect(res.status, path).toBe(200);
      const [p] = ((await res.json()) as ApiHistory).items;
      expect(p?.state, path).toBe('succeeded');
      expect(p?.links, path).toEqual(expected(p as ApiPromotion));
    }
    const [p] = ((await (await s.api('/api/v1/promotions')).json()) as ApiHistory).items;
    const one = (await (await s.api(`/api/v1/promotions/${p?.id}`)).json()) as ApiPromotion;
    expect(one.links).toEqual(expected(one));
  }, 60_000);
});
