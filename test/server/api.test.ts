import { execFileSync } from 'node:child_process';
import { pushSandboxImage } from '@gantry/cli';
import type { PipelineStatus } from '@gantry/core';
import type { Promotion, PromotionWithEvents } from '@gantry/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';

const gitIn = (repo: string, args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

describe('the HTTP API on the sandbox (app.request, no port)', () => {
  let s: SandboxServer;
  beforeAll(async () => {
    s = await sandboxServer();
  });
  afterAll(() => s.close());

  it('GIVEN a started server WHEN pipelines are listed THEN every phase with its state, from memory', async () => {
    const r = await s.api('/api/v1/pipelines');
    expect(r.status).toBe(200);
    const body = (await r.json()) as { pipelines: PipelineStatus[]; observedAt: string };
    expect(body.pipelines.map((p) => p.pipeline)).toEqual(['app']);
    expect(body.pipelines[0]?.phases.map((p) => [p.phase, p.state])).toEqual([
      ['oci', 'source'],
      ['staging', 'in-sync'],
      ['production', 'in-sync'],
    ]);
    expect(Date.parse(body.observedAt)).not.toBeNaN();
  });

  it('GIVEN a client that accepts gzip and remembers the ETag WHEN it lists again THEN gzip, then 304', async () => {
    const r = await s.api('/api/v1/pipelines', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(r.headers.get('content-encoding')).toBe('gzip');
    const { gunzipSync } = await import('node:zlib');
    const body = JSON.parse(gunzipSync(Buffer.from(await r.arrayBuffer())).toString()) as { pipelines: unknown[] };
    expect(body.pipelines).toHaveLength(1);
    const etag = r.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await s.api('/api/v1/pipelines', { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('GIVEN an unknown pipeline or phase WHEN asked THEN 404 problem+json listing the known names', async () => {
    const r = await s.api('/api/v1/pipelines/nope');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(await r.json()).toMatchObject({ status: 404, code: 'unknown_pipeline', known: ['app'] });
    const ph = await s.api('/api/v1/pipelines/app/phases/qa');
    expect(await ph.json()).toMatchObject({ code: 'unknown_phase', known: ['oci', 'staging', 'production'] });
  });

  it('GIVEN malformed JSON, an unknown field or a wrong type WHEN promoting THEN 400 naming the field', async () => {
    const r = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: { reson: 'x' } });
    expect(r.status).toBe(400);
    const p = (await r.json()) as { code: string; detail: string };
    expect(p.code).toBe('invalid_request');
    expect(p.detail).toContain('reson');
    // malformed JSON: 400; a body that does not say it is JSON: 415
    for (const [headers, status] of [
      [{ 'content-type': 'application/json' }, 400],
      [{ 'content-type': 'text/plain' }, 415],
    ] as const) {
      const broken = await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
        method: 'POST',
        body: '{"reason":',
        headers,
      });
      expect(broken.status).toBe(status);
      expect(await broken.json()).toMatchObject({ code: 'invalid_request' });
    }
    const bad = await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
      method: 'POST',
      json: { reason: 42 },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toContain('[reason]');
  });

  it('GIVEN staging in sync WHEN promoted THEN 200 in-sync and nothing recorded', async () => {
    const r = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ kind: 'in-sync' });
  });

  let first: Promotion;
  it('GIVEN a new image WHEN staging is promoted THEN 202 at once, then the commit lands with the promotion id', async () => {
    const digest = await pushSandboxImage(s.dir);
    const plan = await (await s.api('/api/v1/pipelines/app/phases/staging/plan')).json();
    expect(plan).toMatchObject({ kind: 'promote', from: 'oci', target: { digest } });
    const r = await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
      method: 'POST',
      json: { reason: 'ship it' },
    });
    expect(r.status).toBe(202);
    const { promotion } = (await r.json()) as { promotion: Promotion };
    expect(promotion.state).toBe('queued');
    await s.server.deps.promotions.idle();
    const done = (await (await s.api(`/api/v1/promotions/${promotion.id}`)).json()) as PromotionWithEvents;
    expect(done.state).toBe('succeeded');
    expect(done.events.map((e) => e.state)).toEqual(['queued', 'running', 'committed', 'pushed', 'succeeded']);
    expect(done.trigger).toEqual({ kind: 'person', actor: 'anonymous' });
    expect(gitIn(s.bare, ['log', '-1', '--format=%H%n%B', 'main'])).toContain(`Gantry-Promotion-Id: ${promotion.id}`);
    expect(gitIn(s.bare, ['rev-parse', 'main']).trim()).toBe(done.commitSha);
    first = done;
    const phase = (await (await s.api('/api/v1/pipelines/app/phases/staging')).json()) as {
      status: { state: string; digest: string };
      lastPromotion: { id: string };
    };
    expect(phase.status).toMatchObject({ state: 'in-sync', digest });
    expect(phase.lastPromotion.id).toBe(promotion.id);
  });

  it('GIVEN a second image promoted WHEN rolled back to the first promotion THEN a new forward commit restores its digest', async () => {
    await pushSandboxImage(s.dir);
    const r = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST' });
    expect(r.status).toBe(202);
    await s.server.deps.promotions.idle();
    const tipBefore = gitIn(s.bare, ['rev-parse', 'main']).trim();

    const preview = await (await s.api(`/api/v1/pipelines/app/phases/staging/plan?rollbackOf=${first.id}`)).json();
    expect(preview).toMatchObject({ kind: 'promote', target: { digest: first.toDigest } });
    const rb = await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
      method: 'POST',
      json: { rollbackOf: first.id },
    });
    expect(rb.status).toBe(202);
    await s.server.deps.promotions.idle();
    expect(gitIn(s.bare, ['rev-parse', 'main~1']).trim()).toBe(tipBefore);
    expect(gitIn(s.bare, ['show', 'main:env/staging/deployment.yaml'])).toContain(first.toDigest);

    const history = (await (await s.api('/api/v1/pipelines/app/phases/staging/history?limit=2')).json()) as {
      items: Promotion[];
      nextCursor?: string;
    };
    expect(history.items).toHaveLength(2);
    expect(history.items[0]?.reason).toContain(`rollback to ${first.toVersion}`);
    const rest = (await (await s.api(`/api/v1/pipelines/app/history?cursor=${history.nextCursor}`)).json()) as {
      items: Promotion[];
    };
    expect(rest.items.map((p) => p.id)).toEqual([first.id]);
  });

  it('GIVEN an image pushed without a webhook WHEN listed THEN the last observation, and with ?refresh=true the registry as it is now', async () => {
    const digest = await pushSandboxImage(s.dir);
    type List = { pipelines: PipelineStatus[] };
    const ociOf = (phases: PipelineStatus['phases'] | undefined) => phases?.find((p) => p.phase === 'oci')?.digest;
    const list = async (query = '') =>
      ociOf(((await (await s.api(`/api/v1/pipelines${query}`)).json()) as List).pipelines[0]?.phases);
    expect(await list()).not.toBe(digest);

    expect(await list('?refresh=true')).toBe(digest);
    // the fresh read is the new observation for everyone
    expect(await list()).toBe(digest);
    const one = (await (await s.api('/api/v1/pipelines/app?refresh=true')).json()) as PipelineStatus;
    expect(ociOf(one.phases)).toBe(digest);
    expect(one.phases.find((p) => p.phase === 'staging')?.state).toBe('behind');

    const bad = await s.api('/api/v1/pipelines?refresh=yes');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('refresh');
  });

  it('GIVEN the server WHEN asked for its OpenAPI document, health and metrics THEN they describe it', async () => {
    const doc = (await (await s.api('/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/pipelines',
        '/api/v1/pipelines/{pipeline}/phases/{phase}/promotions',
        '/api/v1/promotions/{id}',
      ]),
    );
    expect((await s.api('/healthz')).status).toBe(200);
    expect(await (await s.api('/readyz')).json()).toMatchObject({ status: 'ready' });
    const metrics = await (await s.api('/metrics')).text();
    expect(metrics).toMatch(/gantry_promotions_total\{pipeline="app",phase="staging",result="succeeded"\} 3/);
  });
});
