import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import type { PipelineStatus } from '@gantry/core';
import type { Promotion, PromotionWithEvents } from '@gantry/store';
import type { TestRegistry } from '@gantry/testing';
import { commitToBareRepo, hasTool, pushTestImage, readBareFile, startRegistry, tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';

const gitIn = (repo: string, args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

/** A POST with no body says it is no cross-site form with this header (docs/api.md). */
const BODYLESS = { 'x-gantry-request': '1' };

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
    expect(etag).toMatch(/^"[\w.-]+"$/);
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
    // malformed JSON: 400; a body that does not say it is JSON: 415 (a cross-site form could send it)
    for (const [headers, status, code] of [
      [{ 'content-type': 'application/json' }, 400, 'invalid_request'],
      [{ 'content-type': 'text/plain' }, 415, 'unsupported_media_type'],
    ] as const) {
      const broken = await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
        method: 'POST',
        body: '{"reason":',
        headers,
      });
      expect(broken.status).toBe(status);
      expect(await broken.json()).toMatchObject({ code });
    }
    const bad = await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
      method: 'POST',
      json: { reason: 42 },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toContain('[reason]');
  });

  it('GIVEN staging in sync WHEN promoted THEN 200 in-sync and nothing recorded', async () => {
    const r = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', headers: BODYLESS });
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
    // the person's note is the promotion's reason, not only the audit log's
    expect(done.reason).toBe('ship it');
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
    const r = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', headers: BODYLESS });
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

  it('GIVEN a cursor this server never handed out WHEN history is asked THEN 400 invalid_cursor, not 500', async () => {
    const r = await s.api('/api/v1/pipelines/app/history?cursor=garbage');
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ code: 'invalid_cursor' });
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
      components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/pipelines',
        '/api/v1/pipelines/{pipeline}/phases/{phase}/promotions',
        '/api/v1/promotions/{id}',
        '/api/v1/promotions/{id}/checks',
        '/api/v1/promotions/{id}/verify',
        '/api/v1/deployer-events',
      ]),
    );
    // the contract's schemas (@gantry/api) are its components; errors list the codes the server raises
    const { schemas } = doc.components;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'PhaseStatus',
        'Promotion',
        'Deployment',
        'Verification',
        'CheckResults',
        'DeployerEvents',
      ]),
    );
    expect(schemas.PhaseStatus?.properties).toHaveProperty('deployment');
    expect(schemas.Problem?.properties?.code?.enum).toEqual(
      expect.arrayContaining(['unknown_pipeline', 'not_verifiable']),
    );
    expect((await s.api('/healthz')).status).toBe(200);
    expect(await (await s.api('/readyz')).json()).toMatchObject({ status: 'ready' });
    const metrics = await (await s.api('/metrics')).text();
    expect(metrics).toMatch(/gantry_promotions_total\{pipeline="app",phase="staging",result="succeeded"\} 3/);
  });
});

describe.skipIf(!hasTool('docker-registry'))('explicit targets, checked against a real registry and real Git', () => {
  const PRODUCTION = '/api/v1/pipelines/app/phases/production/promotions';
  const FILE = 'env/production/deployment.yaml';
  /** How the sandbox's gantry.yaml names its registry (`registries.sandbox.host`), kept for the real one. */
  const HOST = 'localhost:5000';
  let registry: TestRegistry;
  let s: SandboxServer;
  let pushed: string;
  let elsewhere: string;
  beforeAll(async () => {
    registry = await startRegistry();
    pushed = await pushTestImage(registry.url, 'app', 'latest');
    elsewhere = await pushTestImage(registry.url, 'other', 'latest', { labels: { app: 'other' } });
    const tmp = await tempDir('gantry-targets-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    // the sandbox's pipeline, its oci phase reading the real registry (named as the config repository names it)
    const file = join(dir, 'gantry.yaml');
    const yaml = (await readFile(file, 'utf8')).replace(
      /sandbox:\n {4}layout: \.\/registry\n/,
      `sandbox:\n    url: ${registry.url}\n`,
    );
    expect(yaml).toContain(registry.url);
    await writeFile(file, yaml);
    s = await sandboxServer({ tmp });
  });
  afterAll(async () => {
    await s?.close();
    await registry?.stop();
  });

  /** POSTs a promotion that must be refused; the repository and the history must not change. */
  async function refused(json: unknown): Promise<{ status: number; code: string; field?: string; detail: string }> {
    const tip = gitIn(s.bare, ['rev-parse', 'main']);
    const before = await readBareFile(s.bare, 'main', FILE);
    const r = await s.api(PRODUCTION, { method: 'POST', json });
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await r.json()) as { status: number; code: string; field?: string; detail: string };
    expect(r.status).toBe(problem.status);
    await s.server.deps.promotions.idle();
    expect(gitIn(s.bare, ['rev-parse', 'main'])).toBe(tip);
    expect(await readBareFile(s.bare, 'main', FILE)).toBe(before);
    const history = (await (await s.api('/api/v1/pipelines/app/phases/production/history')).json()) as {
      items: Promotion[];
    };
    expect(history.items.filter((p) => p.state !== 'succeeded')).toEqual([]);
    return problem;
  }

  it('GIVEN a target of another resource kind WHEN promoted THEN 400 invalid_target naming target.kind', async () => {
    const p = await refused({ target: { kind: 'helm-chart', name: 'app', version: '1.0.0' } });
    expect(p).toMatchObject({ status: 400, code: 'invalid_target', field: 'target.kind' });
    expect(p.detail).toContain('expected kind "oci-image"');
  });

  it('GIVEN a registry the pipeline does not use WHEN promoted THEN 400 naming target.repository and what it reads', async () => {
    const p = await refused({
      target: { kind: 'oci-image', repository: 'evil.example.com/x', digest: `sha256:${'0'.repeat(64)}` },
    });
    expect(p).toMatchObject({ status: 400, code: 'invalid_target', field: 'target.repository' });
    expect(p.detail).toContain(`${HOST}/app`);
    // another repository of the same registry is not this pipeline's either, though the image exists
    expect(
      await refused({ target: { kind: 'oci-image', repository: `${HOST}/other`, digest: elsewhere } }),
    ).toMatchObject({ status: 400, code: 'invalid_target', field: 'target.repository' });
  });

  it('GIVEN a digest the registry does not hold WHEN promoted THEN 400 target_not_found naming target.digest', async () => {
    const p = await refused({
      target: { kind: 'oci-image', repository: `${HOST}/app`, digest: `sha256:${'0'.repeat(64)}` },
    });
    expect(p).toMatchObject({ status: 400, code: 'target_not_found', field: 'target.digest' });
  });

  it('GIVEN a repository with a newline WHEN promoted THEN 400 naming target.repository before anything is read', async () => {
    const p = await refused({
      target: { kind: 'oci-image', repository: `${HOST}/app\n        evil: true`, digest: pushed },
    });
    expect(p).toMatchObject({ status: 400, code: 'invalid_target', field: 'target.repository' });
  });

  it("GIVEN a digest the pipeline's registry holds WHEN released with a reason THEN it is written and the reason recorded", async () => {
    const r = await s.api(PRODUCTION, {
      method: 'POST',
      json: { target: { kind: 'oci-image', repository: `${HOST}/app`, digest: pushed }, reason: 'launch' },
    });
    expect(r.status).toBe(202);
    const { promotion } = (await r.json()) as { promotion: Promotion };
    expect(promotion.reason).toBe('launch');
    await s.server.deps.promotions.idle();
    const done = (await (await s.api(`/api/v1/promotions/${promotion.id}`)).json()) as Promotion;
    expect(done).toMatchObject({ state: 'succeeded', reason: 'launch' });
    expect(await readBareFile(s.bare, 'main', FILE)).toContain(`${HOST}/app@${pushed}`);
  });

  it('GIVEN a value in the file that does not parse WHEN the phase is planned THEN 502 updater_failed naming the file, on that phase only', async () => {
    const text = await readBareFile(s.bare, 'main', FILE);
    await commitToBareRepo(s.bare, {
      files: { [FILE]: text.replace(/image: .*/, 'image: "not a reference@@"') },
      message: 'break production by hand',
    });
    // as a push webhook would: the next read fetches; the phase shows the error
    s.runtime.repositories.repository('config').expire();
    const status = (await (await s.api('/api/v1/pipelines/app?refresh=true')).json()) as PipelineStatus;
    expect(status.phases.map((p) => [p.phase, p.state, p.error?.code])).toEqual([
      ['oci', 'source', undefined],
      ['staging', 'behind', undefined],
      ['production', 'error', 'updater_failed'],
    ]);
    const plan = await s.api('/api/v1/pipelines/app/phases/production/plan');
    const problem = (await plan.json()) as { code: string; detail: string };
    expect({ status: plan.status, code: problem.code }).toEqual({ status: 502, code: 'updater_failed' });
    expect(problem.detail).toContain(FILE);
    expect((await s.api('/api/v1/pipelines/app/phases/staging/plan')).status).toBe(200);
  });
});
