import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import { fluxEventFor } from '@gantry/deployments';
import { verifyWebhookSignature } from '@gantry/notify';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { sandboxServer } from './sandbox-server.js';
import { until } from './until.js';

const SECRET = 'a-receiver-secret-of-some-length';
const FLUX = 'flux-secret';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A generic webhook receiver that records what it gets. */
async function receiver(): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, got, close: () => new Promise((r) => server.close(() => r())) };
}

describe('notifications', () => {
  it('GIVEN a signed webhook channel WHEN a promotion succeeds and Flux reports it degraded THEN the receiver gets each event once, signed, and a restart redelivers nothing', async () => {
    const hook = await receiver();
    const tmp = await tempDir('gantry-notify-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    const yaml = `${(await import('node:fs'))
      .readFileSync(join(dir, 'gantry.yaml'), 'utf8')
      .replace(
        '        labels: { environment: staging }\n',
        '        labels: { environment: staging }\n        deployer: { kind: flux-kustomization, namespace: flux-system, name: staging }\n',
      )}server:
  schedules: []
  webhooks:
    flux: { secret: ${FLUX} }
notifications:
  channels:
    team: { type: webhook, url: "${hook.url}", secret: ${SECRET} }
`;
    await writeFile(join(dir, 'gantry.yaml'), yaml);
    let s = await sandboxServer({ tmp });
    try {
      // GIVEN / WHEN a promotion into staging
      await pushSandboxImage(s.dir);
      const res = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
      const { promotion } = (await res.json()) as { promotion: { id: string } };
      await s.server.deps.promotions.idle();
      // THEN the receiver gets promotion.succeeded, signed
      await until(async () => (hook.got.length >= 1 ? true : undefined), 'promotion.succeeded delivered');
      const first = hook.got[0] as Received;
      expect(verifyWebhookSignature(SECRET, first.body, first.headers['x-gantry-signature'] as string)).toBe(true);
      expect(JSON.parse(first.body)).toMatchObject({
        type: 'promotion.succeeded',
        event: { promotionId: promotion.id, pipeline: 'app', phase: 'staging' },
      });

      // WHEN Flux reports the commit degraded
      const done = (await (await s.api(`/api/v1/promotions/${promotion.id}`)).json()) as { commitSha: string };
      const flux = fluxEventFor({
        ref: { kind: 'flux-kustomization', namespace: 'flux-system', name: 'staging' },
        commit: done.commitSha,
        branch: 'main',
        ok: false,
        failure: 'health-check',
        time: new Date(),
        secret: FLUX,
      });
      await s.api('/api/v1/webhooks/flux', { method: 'POST', body: flux.body, headers: { ...flux.headers } });
      // THEN deployment.degraded and verification.failed arrive too
      await until(async () => (hook.got.length >= 3 ? true : undefined), 'three deliveries');
      const types = hook.got.map((g) => (JSON.parse(g.body) as { type: string }).type).sort();
      expect(types).toEqual(['deployment.degraded', 'promotion.succeeded', 'verification.failed']);
      const keys = new Set(hook.got.map((g) => g.headers['x-gantry-delivery']));
      expect(keys.size).toBe(3);

      // WHEN the server restarts (it replays recent promotions' notifications)
      s = await s.restart();
      await new Promise((r) => setTimeout(r, 300));
      // THEN nothing already delivered is sent again, and every attempt is in the store
      expect(hook.got).toHaveLength(3);
      const attempts = await s.server.store.listDeliveries(promotion.id);
      expect(attempts.filter((a) => a.outcome === 'delivered')).toHaveLength(3);
    } finally {
      await s.close();
      await hook.close();
    }
  });
});
