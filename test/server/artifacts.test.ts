import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiArtifact, ApiArtifactReportResult, ApiEvent } from '@gantry/api';
import { createClient } from '@gantry/client';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import type { RunningServer } from '@gantry/server';
import { startServer } from '@gantry/server';
import type { TempDir, TestRegistry } from '@gantry/testing';
import { createBareRepo, freePort, hasTool, pushTestImage, startRegistry, tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ZERO = `sha256:${'0'.repeat(64)}`;
const MISSING = `sha256:${'e'.repeat(64)}`;
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

interface Harness {
  readonly server: RunningServer;
  readonly registry: TestRegistry;
  readonly tokens: { ci: string; viewer: string; admin: string };
  call(path: string, token: string, init?: { method?: string; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** A server on a real registry (plus one that is down), with a ci, a viewer and an admin token. */
async function harness(): Promise<Harness> {
  const registry = await startRegistry();
  const tmp: TempDir = await tempDir('gantry-artifacts-');
  const downPort = await freePort();
  await createBareRepo(join(tmp.path, 'config.git'), { 'staging.yaml': `image: ${registry.host}/app@${ZERO}\n` });
  await writeFile(
    join(tmp.path, 'gantry.yaml'),
    `dataDir: .gantry
repositories:
  config: { url: ./config.git }
registries:
  reg: { url: "${registry.url}", host: "${registry.host}" }
  down: { url: "http://127.0.0.1:${downPort}", host: "down.example.com", timeout: 2s }
server:
  schedules: []
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: reg, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source: { type: git, repository: config, path: staging.yaml, updater: { type: image-path, path: image } }
        gates:
          - kind: branch
            branches: main
  - name: other
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: down, repository: other, select: { by: tag, tag: latest } }
`,
  );
  const runtime = await openRuntime({ cwd: tmp.path, env: {}, logger: silentLogger });
  const server = await startServer({ runtime, listen: false });
  const make = async (role: 'ci' | 'viewer' | 'admin') =>
    (await server.store.createToken({ name: `${role}-bot`, role })).token;
  const tokens = { ci: await make('ci'), viewer: await make('viewer'), admin: await make('admin') };
  return {
    server,
    registry,
    tokens,
    call(path, token, init = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (init.json !== undefined) headers['content-type'] = 'application/json';
      return Promise.resolve(
        server.app.request(path, {
          method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
          headers,
          ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
        }),
      );
    },
    async close() {
      await server.close();
      await runtime.close();
      await registry.stop();
      await tmp.remove();
    },
  };
}

const report = (image: string, digest: string, o: Record<string, unknown> = {}) => ({
  image,
  digest,
  source: {
    repository: 'https://github.com/acme/app',
    commit: SHA,
    branch: 'main',
    author: { name: 'Ann Example', email: 'ann@example.com' },
    message: 'Fix checkout rounding (SHOP-12)',
    time: '2026-03-01T09:00:00+01:00',
  },
  ci: { runUrl: 'https://github.com/acme/app/actions/runs/42', provider: 'github-actions' },
  steps: [{ name: 'build', status: 'succeeded', durationMs: 61_000 }],
  ...o,
});

describe.skipIf(!hasTool('docker-registry'))('CI artifact reports through the server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('GIVEN a ci token WHEN it reports a pushed image THEN 201, verified, for the pipeline reading it; a replay changes nothing; viewers may not report', async () => {
    const digest = await pushTestImage(h.registry.url, 'app', 'latest', { labels: { n: '1' } });
    const events: string[] = [];
    const unsubscribe = h.server.deps.bus.subscribe((e) => events.push(e.type));
    try {
      const res = await h.call('/api/v1/artifacts', h.tokens.ci, {
        json: report(`${h.registry.host}/app:latest`, digest),
      });
      expect(res.status).toBe(201);
      const first = (await res.json()) as ApiArtifactReportResult;
      expect(first).toMatchObject({
        outcome: 'created',
        artifact: {
          kind: 'image',
          image: `${h.registry.host}/app`,
          digest,
          pipelines: ['app'],
          verified: true,
          reportedBy: 'ci-bot',
          sourceFrom: 'report',
          source: { commit: SHA, branch: 'main', time: '2026-03-01T08:00:00.000Z' },
          steps: [{ name: 'build', status: 'succeeded', durationMs: 61_000 }],
        },
      });
      expect(events).toEqual(['artifact']);
      const audit = await h.server.store.listAudit({ limit: 50 });
      expect(audit.items.filter((a) => a.action === 'artifact.report')).toHaveLength(1);

      // WHEN the same report arrives again
      const again = await h.call('/api/v1/artifacts', h.tokens.ci, {
        json: report(`${h.registry.host}/app:latest`, digest),
      });
      expect(again.status).toBe(200);
      const second = (await again.json()) as ApiArtifactReportResult;
      expect(second.outcome).toBe('unchanged');
      expect(second.artifact).toEqual(first.artifact);
      expect(events).toEqual(['artifact']);
      expect(
        (await h.server.store.listAudit({ limit: 50 })).items.filter((a) => a.action === 'artifact.report'),
      ).toHaveLength(1);

      const byViewer = await h.call('/api/v1/artifacts', h.tokens.viewer, {
        json: report(`${h.registry.host}/app`, digest),
      });
      expect(byViewer.status).toBe(403);
      // reading is for everyone
      const got = await h.call(`/api/v1/artifacts/${first.artifact.id}`, h.tokens.viewer);
      expect(((await got.json()) as ApiArtifact).id).toBe(first.artifact.id);
    } finally {
      unsubscribe();
    }
  });

  it('GIVEN a digest the registry does not hold, or a registry that is down THEN accepted, unverified, with the reason', async () => {
    const missing = await h.call('/api/v1/artifacts', h.tokens.ci, { json: report(`${h.registry.host}/app`, MISSING) });
    expect(missing.status).toBe(201);
    expect(((await missing.json()) as ApiArtifactReportResult).artifact).toMatchObject({
      verified: false,
      unverifiedReason: expect.stringContaining(`has no manifest ${MISSING}`),
      pipelines: ['app'],
    });
    const down = await h.call('/api/v1/artifacts', h.tokens.ci, { json: report('down.example.com/other', ZERO) });
    expect(down.status).toBe(201);
    expect(((await down.json()) as ApiArtifactReportResult).artifact).toMatchObject({
      verified: false,
      unverifiedReason: expect.stringContaining('registry down could not be asked'),
      pipelines: ['other'],
    });
    const nowhere = await h.call('/api/v1/artifacts', h.tokens.ci, {
      json: report('ghcr.io/acme/unknown', `sha256:${'1'.repeat(64)}`),
    });
    expect(((await nowhere.json()) as ApiArtifactReportResult).artifact).toMatchObject({
      verified: false,
      unverifiedReason: 'no configured registry serves ghcr.io/acme/unknown',
      pipelines: [],
    });
  });

  it('GIVEN a dashboard following /api/v1/events WHEN CI reports an artifact and then a step THEN the stream sends both as `artifact` events the client hands on', async () => {
    const client = createClient({
      // localhost: whether the server counts its tokens yet (open mode) does not decide this test
      baseUrl: 'http://localhost',
      token: h.tokens.viewer,
      // in process, as fetch over a socket does: aborting ends the body (and so the server's stream)
      fetch: (async (input: string, init?: RequestInit) => {
        const res = await h.server.app.request(input, init);
        if (!res.body || !init?.signal) return res;
        return new Response(res.body.pipeThrough(new TransformStream(), { signal: init.signal }), res);
      }) as typeof fetch,
    });
    const digest = `sha256:${'5'.repeat(64)}`;
    const got: ApiEvent[] = [];
    let second: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      second = resolve;
    });
    const abort = new AbortController();
    const subscribers = h.server.deps.bus.subscribers;
    const following = client.events((e) => {
      if (e.type !== 'artifact' || e.artifact.digest !== digest) return;
      got.push(e);
      if (got.length === 2) second();
    }, abort.signal);
    // the stream listens once its handler has subscribed to the bus
    for (let i = 0; i < 200 && h.server.deps.bus.subscribers === subscribers; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const res = await h.call('/api/v1/artifacts', h.tokens.ci, { json: report(`${h.registry.host}/app`, digest) });
    expect(res.status).toBe(201);
    const { artifact } = (await res.json()) as ApiArtifactReportResult;
    const step = await h.call(`/api/v1/artifacts/${artifact.id}/steps`, h.tokens.ci, {
      json: { name: 'test', status: 'failed' },
    });
    expect(step.status).toBe(200);
    await arrived;
    abort.abort();
    await following;
    expect(got.map((e) => (e.type === 'artifact' ? [e.outcome, e.artifact.steps.map((s) => s.name)] : []))).toEqual([
      ['created', ['build']],
      ['updated', ['build', 'test']],
    ]);
    expect(got[0]).toMatchObject({ artifact: { id: artifact.id, verified: false, source: { branch: 'main' } } });
  });

  it('GIVEN malformed fields THEN 400 problem naming each; an unknown pipeline is 404 with the known names', async () => {
    const bad = await h.call('/api/v1/artifacts', h.tokens.ci, {
      json: report(`${h.registry.host}/app`, ZERO, {
        source: { commit: 'not-a-sha' },
        steps: [{ name: 'test', status: 'green' }],
      }),
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await bad.json()) as { code: string; detail: string; field: string };
    expect(problem.code).toBe('invalid_request');
    expect(problem.field).toBe('source.commit');
    expect(problem.detail).toContain('[source.commit] a commit SHA');
    expect(problem.detail).toContain('[steps.0.status]');

    const noDigest = await h.call('/api/v1/artifacts', h.tokens.ci, { json: { image: `${h.registry.host}/app` } });
    expect(await noDigest.json()).toMatchObject({ status: 400, field: 'digest' });

    const unknown = await h.call('/api/v1/artifacts', h.tokens.ci, {
      json: report(`${h.registry.host}/app`, ZERO, { pipeline: 'nope' }),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'unknown_pipeline', known: ['app', 'other'] });
  });

  it('GIVEN a report without steps WHEN steps arrive one by one THEN each is recorded; a replayed step changes nothing', async () => {
    const digest = await pushTestImage(h.registry.url, 'app', 'steps', { labels: { n: 'steps' } });
    const created = (await (
      await h.call('/api/v1/artifacts', h.tokens.ci, { json: report(`${h.registry.host}/app`, digest, { steps: [] }) })
    ).json()) as ApiArtifactReportResult;
    const id = created.artifact.id;
    const post = (json: unknown) => h.call(`/api/v1/artifacts/${id}/steps`, h.tokens.ci, { json });
    expect((await post({ name: 'test', status: 'running', startedAt: '2026-03-01T10:00:00Z' })).status).toBe(200);
    const done = (await (
      await post({ name: 'test', status: 'succeeded', finishedAt: '2026-03-01T10:02:00Z', url: 'https://ci/test' })
    ).json()) as ApiArtifactReportResult;
    expect(done.outcome).toBe('updated');
    expect(done.artifact.steps).toEqual([
      expect.objectContaining({
        name: 'test',
        status: 'succeeded',
        startedAt: '2026-03-01T10:00:00.000Z',
        finishedAt: '2026-03-01T10:02:00.000Z',
        durationMs: 120_000,
        url: 'https://ci/test',
      }),
    ]);
    const replay = (await (
      await post({ name: 'test', status: 'succeeded', finishedAt: '2026-03-01T10:02:00Z', url: 'https://ci/test' })
    ).json()) as ApiArtifactReportResult;
    expect(replay.outcome).toBe('unchanged');
    await post({ name: 'scan', status: 'failed' });
    const got = (await (await h.call(`/api/v1/artifacts/${id}`, h.tokens.viewer)).json()) as ApiArtifact;
    expect(got.steps.map((s) => [s.name, s.status])).toEqual([
      ['test', 'succeeded'],
      ['scan', 'failed'],
    ]);
    expect(
      (await h.call(`/api/v1/artifacts/${id}/steps`, h.tokens.viewer, { json: { name: 'x', status: 'running' } }))
        .status,
    ).toBe(403);
    const unknown = await h.call(
      `/api/v1/artifacts/${ZERO.slice(7, 15)}-0000-4000-8000-000000000000/steps`,
      h.tokens.ci,
      {
        json: { name: 'x', status: 'running' },
      },
    );
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('unknown_artifact');
  });

  it('GIVEN only image and digest THEN the source facts come from the OCI labels', async () => {
    const digest = await pushTestImage(h.registry.url, 'app', 'labelled', {
      labels: {
        'org.opencontainers.image.revision': SHA,
        'org.opencontainers.image.source': 'https://github.com/acme/app',
        'dev.gantry.branch': 'release/1.x',
      },
    });
    const res = await h.call('/api/v1/artifacts', h.tokens.ci, { json: { image: `${h.registry.host}/app`, digest } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as ApiArtifactReportResult).artifact).toMatchObject({
      verified: true,
      sourceFrom: 'labels',
      source: { commit: SHA, repository: 'https://github.com/acme/app', branch: 'release/1.x' },
    });
  });

  it('GIVEN builds per branch THEN ?pipeline&branch&limit=1 is the newest; a branch without builds is 404 naming the branches that have them', async () => {
    const newest = await h.call('/api/v1/artifacts?pipeline=app&branch=main&limit=1', h.tokens.viewer);
    const page = (await newest.json()) as { items: ApiArtifact[] };
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.source.branch).toBe('main');
    const none = await h.call('/api/v1/artifacts?pipeline=app&branch=hotfix&limit=1', h.tokens.viewer);
    expect(none.status).toBe(404);
    const problem = (await none.json()) as { code: string; branches: string[]; detail: string };
    expect(problem.code).toBe('no_branch_build');
    expect(problem.branches).toEqual(expect.arrayContaining(['main', 'release/1.x']));
    expect(problem.detail).toContain('release/1.x');
    const unknown = await h.call('/api/v1/artifacts?pipeline=nope', h.tokens.viewer);
    expect(unknown.status).toBe(404);
  });

  it('GIVEN the ci role WHEN it tries to promote THEN 403; its report of the branch is what the branch gate judges', async () => {
    // an image whose labels name no branch: only CI's report knows it
    const feature = await pushTestImage(h.registry.url, 'app', 'latest', { labels: { n: 'feature' } });
    await h.call('/api/v1/artifacts', h.tokens.ci, {
      json: report(`${h.registry.host}/app`, feature, { source: { commit: SHA, branch: 'feature/x' } }),
    });
    const byCi = await h.call('/api/v1/pipelines/app/phases/staging/promotions', h.tokens.ci, { json: {} });
    expect(byCi.status).toBe(403);
    expect(((await byCi.json()) as { detail: string }).detail).toContain('has ci');
    // nor does it decide on one
    const approve = await h.call('/api/v1/promotions/00000000-0000-4000-8000-000000000000/approve', h.tokens.ci, {
      json: {},
    });
    expect(approve.status).toBe(403);

    const blocked = await h.call('/api/v1/pipelines/app/phases/staging/promotions', h.tokens.admin, {
      json: { digest: feature },
    });
    expect(blocked.status).toBe(409);
    expect(JSON.stringify(await blocked.json())).toContain('feature/x');

    const main = await pushTestImage(h.registry.url, 'app', 'latest', { labels: { n: 'main' } });
    await h.call('/api/v1/artifacts', h.tokens.ci, {
      json: report(`${h.registry.host}/app`, main, { source: { commit: SHA, branch: 'main' } }),
    });
    const promoted = await h.call('/api/v1/pipelines/app/phases/staging/promotions', h.tokens.admin, {
      json: { digest: main },
    });
    expect(promoted.status).toBe(202);
  });
});
