import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import { signBody } from '@gantry/server';
import type { TempDir } from '@gantry/testing';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';
import { until } from './until.js';

const SECRET = 'webhook-s3cret';

describe('webhooks: signed registry pushes reconcile and auto-promote', () => {
  let tmp: TempDir;
  let s: SandboxServer;

  beforeAll(async () => {
    tmp = await tempDir('gantry-webhooks-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    const file = join(dir, 'gantry.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      `${text
        .replace('promotesFrom: oci', 'promotesFrom: oci\n        autoPromote: true')
        .replace(
          'layout: ./registry',
          'webhookSecret: registry-own-secret\n    layout: ./registry',
        )}server:\n  webhookSecret: ${SECRET}\n  schedules: []\n`,
    );
    s = await sandboxServer({ tmp });
  });
  afterAll(() => s.close());

  const post = (body: string, headers: Record<string, string>) =>
    s.api('/api/v1/webhooks/registry', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('GIVEN a bad or missing signature WHEN a push arrives THEN 401 and nothing is reconciled', async () => {
    const before = s.server.deps.metrics;
    const body = JSON.stringify({ repository: 'app', tag: 'latest' });
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body, { 'x-gantry-signature-256': signBody('wrong', body) })).status).toBe(401);
    const metrics = await before.registry.getSingleMetricAsString('gantry_reconciles_total');
    expect(metrics).not.toMatch(/trigger="webhook"/);
  });

  it('GIVEN a signed Distribution notification for app:latest WHEN received THEN staging auto-promotes to the new digest', async () => {
    const digest = await pushSandboxImage(s.dir);
    const body = JSON.stringify({
      events: [
        { id: 'e1', action: 'pull', target: { repository: 'app', tag: 'latest', digest } },
        {
          id: 'e2',
          action: 'push',
          target: { repository: 'app', tag: 'latest', digest, mediaType: 'application/vnd.oci.image.manifest.v1+json' },
        },
      ],
    });
    const r = await post(body, { 'x-gantry-signature-256': signBody(SECRET, body) });
    expect(r.status).toBe(202);
    expect(await r.json()).toEqual({ matched: ['app/oci'] });
    const promoted = await until(async () => {
      const h = (await (await s.api('/api/v1/pipelines/app/phases/staging/history')).json()) as {
        items: Array<{ state: string; toDigest: string; trigger: unknown }>;
      };
      return h.items.find((p) => p.toDigest === digest && p.state === 'succeeded');
    }, 'the auto-promotion');
    expect(promoted.trigger).toEqual({ kind: 'webhook', source: 'registry' });
    // production does not auto-promote: it is now behind staging
    await until(async () => {
      const prod = (await (await s.api('/api/v1/pipelines/app/phases/production')).json()) as {
        status: { state: string };
      };
      return prod.status.state === 'behind' ? true : undefined;
    }, 'production to show behind');
  });

  it('GIVEN a burst of ten signed pushes WHEN received together THEN they coalesce into few reconciles and one promotion', async () => {
    const digest = await pushSandboxImage(s.dir);
    const body = JSON.stringify({ repository: 'app', tag: 'latest', digest });
    const runsBefore = await reconciles(s);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => post(body, { 'x-gantry-signature-256': signBody(SECRET, body) })),
    );
    expect(responses.every((r) => r.status === 202)).toBe(true);
    await until(async () => {
      const h = (await (await s.api('/api/v1/pipelines/app/phases/staging/history')).json()) as {
        items: Array<{ state: string; toDigest: string }>;
      };
      return h.items.find((p) => p.toDigest === digest && p.state === 'succeeded');
    }, 'the promotion of the burst');
    const h = (await (await s.api('/api/v1/pipelines/app/phases/staging/history')).json()) as {
      items: Array<{ toDigest: string }>;
    };
    expect(h.items.filter((p) => p.toDigest === digest)).toHaveLength(1);
    expect((await reconciles(s)) - runsBefore).toBeLessThan(10);
  });

  it('GIVEN a registry with its own secret WHEN it signs with it THEN accepted only when the registry is named', async () => {
    const body = JSON.stringify({ repository: 'app', tag: 'latest' });
    const sig = { 'x-gantry-signature-256': signBody('registry-own-secret', body) };
    const named = await s.api('/api/v1/webhooks/registry?registry=sandbox', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...sig },
    });
    expect(named.status).toBe(202);
    expect(await named.json()).toEqual({ matched: ['app/oci'] });
    expect((await post(body, sig)).status).toBe(401);
  });

  it('GIVEN a signed push of a repository no phase follows WHEN received THEN nothing matches', async () => {
    const body = JSON.stringify({ repository: 'other', tag: 'latest' });
    const r = await post(body, { 'x-gantry-signature-256': signBody(SECRET, body) });
    expect(await r.json()).toEqual({ matched: [] });
  });
});

async function reconciles(s: SandboxServer): Promise<number> {
  const text = await s.server.deps.metrics.registry.getSingleMetricAsString('gantry_reconciles_total');
  const m = /trigger="webhook"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}
