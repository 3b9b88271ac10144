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

describe('webhooks: signatures on the raw bytes, replays acknowledged and ignored', () => {
  let tmp: TempDir;
  let s: SandboxServer;

  beforeAll(async () => {
    tmp = await tempDir('gantry-replays-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    const file = join(dir, 'gantry.yaml');
    await writeFile(file, `${await readFile(file, 'utf8')}server:\n  webhookSecret: ${SECRET}\n  schedules: []\n`);
    s = await sandboxServer({ tmp });
  });
  afterAll(() => s.close());

  const post = (kind: 'registry' | 'git', body: string | Uint8Array, headers: Record<string, string> = {}) =>
    s.api(`/api/v1/webhooks/${kind}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-gantry-signature-256': signBody(SECRET, body), ...headers },
    });
  const counted = async (result: string) => {
    const text = await s.server.deps.metrics.registry.getSingleMetricAsString('gantry_webhooks_total');
    return Number(new RegExp(`result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  };
  const envelope = (...ids: string[]) =>
    JSON.stringify({ events: ids.map((id) => ({ id, action: 'push', target: { repository: 'app', tag: 'latest' } })) });

  it('GIVEN a signed registry notification WHEN it is delivered again THEN 200 duplicate and no reconcile is asked for', async () => {
    const body = envelope('replay-1');
    const first = await post('registry', body);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ matched: ['app/oci'] });
    const accepted = await counted('accepted');
    // WHEN replayed, byte for byte, signature and all
    const replay = await post('registry', body);
    // THEN
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ matched: [], duplicate: true });
    expect(await counted('accepted')).toBe(accepted);
    expect(await counted('duplicate')).toBe(1);
  });

  it('GIVEN an envelope with a seen event and a new one WHEN delivered THEN the new event is acted on', async () => {
    await post('registry', envelope('mixed-old'));
    const r = await post('registry', envelope('mixed-old', 'mixed-new'));
    expect(r.status).toBe(202);
    expect(await r.json()).toEqual({ matched: ['app/oci'] });
    // and both are remembered now
    expect((await post('registry', envelope('mixed-new', 'mixed-old'))).status).toBe(200);
  });

  it('GIVEN a signed GitHub push WHEN replayed under the same or a fresh X-GitHub-Delivery THEN duplicate (GitHub signs the body only)', async () => {
    const push = JSON.stringify({
      ref: 'refs/heads/main',
      after: 'a'.repeat(40),
      repository: { full_name: 'example/config', clone_url: s.bare },
      commits: [{ modified: ['env/staging/deployment.yaml'] }],
    });
    const github = (delivery: string) => ({ 'x-github-event': 'push', 'x-github-delivery': delivery });
    const first = await post('git', push, github('d-1'));
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ matched: ['app/staging'] });
    for (const delivery of ['d-1', 'd-2']) {
      const again = await post('git', push, github(delivery));
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ matched: [], duplicate: true });
    }
    // another push under a delivery id already seen is a replay too
    const other = push.replace('a'.repeat(40), 'b'.repeat(40));
    expect(await (await post('git', other, github('d-1'))).json()).toEqual({ matched: [], duplicate: true });
  });

  it('GIVEN a badly signed request carrying a delivery id WHEN refused THEN the id is not remembered', async () => {
    const push = JSON.stringify({
      ref: 'refs/heads/main',
      repository: { full_name: 'example/config', clone_url: s.bare },
      commits: [{ modified: ['env/production/deployment.yaml'] }],
    });
    const headers = { 'x-gitlab-event': 'Push Hook', 'x-gitlab-event-uuid': 'poison-1' };
    const forged = await s.api('/api/v1/webhooks/git', {
      method: 'POST',
      body: push,
      headers: { ...headers, 'x-hub-signature-256': signBody('not-the-secret', push) },
    });
    expect(forged.status).toBe(401);
    const real = await post('git', push, headers);
    expect(real.status).toBe(202);
    expect(await real.json()).toEqual({ matched: ['app/production'] });
  });

  it('GIVEN a body that is not UTF-8 WHEN signed over its bytes THEN the signature holds and the body is refused as not JSON', async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const r = await post('registry', bytes);
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ code: 'invalid_request', detail: 'webhook body is not JSON' });
  });
});

async function reconciles(s: SandboxServer): Promise<number> {
  const text = await s.server.deps.metrics.registry.getSingleMetricAsString('gantry_reconciles_total');
  const m = /trigger="webhook"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}
