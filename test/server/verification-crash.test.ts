import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import { fluxEventFor } from '@gantry/deployments';
import type { Promotion } from '@gantry/store';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { serveProcess } from './serve-process.js';
import { until } from './until.js';

const FLUX = 'flux-secret';

describe('crash during verification', () => {
  it('GIVEN a check running WHEN gantry serve is SIGKILLed THEN after restart verification resumes as a new run and the promotion is verified once', async () => {
    const tmp = await tempDir('gantry-verify-crash-');
    const dir = join(tmp.path, 'sandbox');
    try {
      await initSandbox(dir, { yaml: true });
      const yaml = (await readFile(join(dir, 'gantry.yaml'), 'utf8')).replace(
        '        labels: { environment: staging }\n',
        `        labels: { environment: staging }
        deployer: { kind: flux-kustomization, namespace: flux-system, name: staging }
        verify:
          checks:
            - { kind: command, name: smoke, shell: "test -f smoke-ok || sleep 20", timeout: 5m }
`,
      );
      await writeFile(
        join(dir, 'gantry.yaml'),
        `${yaml}server:\n  schedules: []\n  webhooks:\n    flux: { secret: ${FLUX} }\n`,
      );
      await pushSandboxImage(dir);
      const first = await serveProcess(dir);
      const get = async (url: string, id: string) =>
        (await (await fetch(`${url}/api/v1/promotions/${id}`)).json()) as Promotion;
      // GIVEN staging promoted and reported healthy: its smoke test hangs
      const res = await fetch(`${first.url}/api/v1/pipelines/app/phases/staging/promotions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const { promotion } = (await res.json()) as { promotion: { id: string } };
      const pushed = await until(async () => {
        const p = await get(first.url, promotion.id);
        return p.state === 'succeeded' ? p : undefined;
      }, 'promotion succeeded');
      const flux = fluxEventFor({
        ref: { kind: 'flux-kustomization', namespace: 'flux-system', name: 'staging' },
        commit: pushed.commitSha as string,
        branch: 'main',
        ok: true,
        time: new Date(),
        secret: FLUX,
      });
      expect((await fetch(`${first.url}/api/v1/webhooks/flux`, { method: 'POST', ...flux })).status).toBe(202);
      await until(
        async () => ((await get(first.url, promotion.id)).verification?.state === 'running' ? true : undefined),
        'verification running',
      );
      // WHEN the server dies mid-check
      first.child.kill('SIGKILL');
      await first.exited;
      await writeFile(join(dir, 'smoke-ok'), '');
      // THEN a restarted server resumes it: a second run, which passes
      const second = await serveProcess(dir);
      try {
        const verified = await until(async () => {
          const p = await get(second.url, promotion.id);
          return p.verification?.state === 'verified' ? p : undefined;
        }, 'verified after restart');
        expect(verified.verification?.run).toBe(2);
        expect(verified.deployment?.state).toBe('healthy');
      } finally {
        await second.stop();
      }
    } finally {
      await tmp.remove();
    }
  }, 120_000);
});
