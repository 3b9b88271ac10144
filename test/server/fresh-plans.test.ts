import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import { commitToBareRepo, readBareFile, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { editSandboxYaml } from '../support/sandbox-yaml.js';
import { sandboxServer } from './sandbox-server.js';

const FILE = 'env/staging/deployment.yaml';

describe('what a person asks is answered from Git as it is now, not from the clone cache', () => {
  it('GIVEN staging in sync, read through a cache kept for 10 minutes, and then a hand commit that moves it WHEN a person asks for the plan, why, and the promotion THEN each sees the hand commit and the promotion writes', async () => {
    await using tmp = await tempDir('gantry-fresh-plans-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    const yaml = await editSandboxYaml(dir, (text) =>
      text.replace('    url: ./config.git\n', '    url: ./config.git\n    staleAfter: 10m\n'),
    );
    expect(yaml).toContain('staleAfter: 10m');
    const s = await sandboxServer({ tmp });
    try {
      const digest = await pushSandboxImage(dir);
      await s.server.deps.state.refresh(['app']);
      const first = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
      expect(first.status).toBe(202);
      await s.server.deps.promotions.idle();
      const planOf = async () =>
        ((await (await s.api('/api/v1/pipelines/app/phases/staging/plan')).json()) as { kind: string }).kind;
      expect(await planOf()).toBe('in-sync');
      // WHEN someone commits another version into staging by hand (the clone's cache does not know)
      const bare = join(dir, 'config.git');
      const text = await readBareFile(bare, 'main', FILE);
      await commitToBareRepo(bare, { files: { [FILE]: text.replaceAll(digest, `sha256:${'a'.repeat(64)}`) } });
      // THEN the preview, why and the promotion each see it
      expect(await planOf()).toBe('promote');
      const why = (await (await s.api('/api/v1/pipelines/app/phases/staging/why')).json()) as {
        plan: { kind: string };
      };
      expect(why.plan.kind).toBe('promote');
      const again = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
      expect(again.status).toBe(202);
      expect(((await again.json()) as { kind?: string; promotion?: unknown }).promotion).toBeDefined();
      await s.server.deps.promotions.idle();
      expect(await readBareFile(bare, 'main', FILE)).toContain(digest);
    } finally {
      await s.close();
    }
  }, 60_000);
});
