import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiChain, ApiLineage, ApiPlan, ApiPromoteResult } from '@gantry/api';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import { fluxEventsFor } from '@gantry/deployments';
import type { RunningServer } from '@gantry/server';
import { startServer } from '@gantry/server';
import type { TempDir, TestRegistry } from '@gantry/testing';
import { createBareRepo, hasTool, pushTestImage, runGit, startRegistry, tempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from './until.js';
import type { HealthEndpoint } from './verified-sandbox.js';
import { healthEndpoint } from './verified-sandbox.js';

const ZERO = `sha256:${'0'.repeat(64)}`;
const SOURCE_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const LABEL_SHA = 'b2c3d4e5f60718293a4b5c6d7e8f9012345678a1';
const FLUX_SECRET = 'flux-secret';
const KUSTOMIZATION = { kind: 'flux-kustomization', namespace: 'flux-system', name: 'staging' } as const;

interface Harness {
  readonly server: RunningServer;
  readonly registry: TestRegistry;
  readonly health: HealthEndpoint;
  readonly repo: string;
  readonly tokens: { ci: string; admin: string };
  call<T>(path: string, token: string, json?: unknown): Promise<{ status: number; body: T }>;
  /** Promotes staging (to `digest` when given) as the admin, and waits for the push. */
  promote(o?: { digest?: string; reason?: string }): Promise<{ id: string; commit: string }>;
  /** Flux reports `commit` applied, then ready, as notification-controller sends them. */
  flux(commit: string): Promise<void>;
  /** As the config repository's push webhook does: the next read fetches, however recent the last fetch. */
  remoteChanged(): void;
  close(): Promise<void>;
}

async function harness(): Promise<Harness> {
  const registry = await startRegistry();
  const health = await healthEndpoint();
  const tmp: TempDir = await tempDir('gantry-chain-');
  const repo = join(tmp.path, 'config.git');
  await createBareRepo(repo, { 'staging.yaml': `image: ${registry.host}/app@${ZERO}\n` });
  await writeFile(
    join(tmp.path, 'gantry.yaml'),
    `dataDir: .gantry
repositories:
  config:
    url: ./config.git
    staleAfter: 1ms
    links: { commit: "https://git.example.com/config/commit/{sha}" }
registries:
  reg:
    url: "${registry.url}"
    host: "${registry.host}"
    links: { image: "https://registry.example.com/{repository}@{digest}" }
server:
  schedules: []
  webhooks:
    flux: { secret: ${FLUX_SECRET} }
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: reg, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source: { type: git, repository: config, path: staging.yaml, updater: { type: image-path, path: image } }
        deployer: { kind: flux-kustomization, namespace: flux-system, name: staging }
        verify:
          checks:
            - { kind: http, name: health, url: "${health.url}", retries: 1, interval: 10ms, timeout: 2s }
`,
  );
  const runtime = await openRuntime({ cwd: tmp.path, env: {}, logger: silentLogger });
  const server = await startServer({ runtime, listen: false });
  const tokens = {
    ci: (await server.store.createToken({ name: 'ci-bot', role: 'ci' })).token,
    admin: (await server.store.createToken({ name: 'grace', role: 'admin' })).token,
  };
  const call = async <T>(path: string, token: string, json?: unknown) => {
    const res = await server.app.request(path, {
      method: json === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  return {
    server,
    registry,
    health,
    repo,
    tokens,
    call,
    async promote(o = {}) {
      const r = await call<ApiPromoteResult>('/api/v1/pipelines/app/phases/staging/promotions', tokens.admin, {
        ...(o.digest ? { digest: o.digest } : {}),
        ...(o.reason ? { reason: o.reason } : {}),
      });
      if (r.body.kind !== 'queued') throw new Error(`not queued: ${JSON.stringify(r.body)}`);
      await server.deps.promotions.idle();
      const p = await server.store.getPromotion(r.body.promotion.id);
      if (p?.state !== 'succeeded' || !p.commitSha) throw new Error(`promotion is ${p?.state}`);
      return { id: p.id, commit: p.commitSha };
    },
    remoteChanged() {
      runtime.repositories.repository('config').expire();
    },
    async flux(commit) {
      for (const req of fluxEventsFor({
        ref: KUSTOMIZATION,
        commit,
        branch: 'main',
        ok: true,
        time: new Date(),
        secret: FLUX_SECRET,
      })) {
        const res = await server.app.request('/api/v1/webhooks/flux', {
          method: 'POST',
          body: req.body,
          headers: { ...req.headers },
        });
        if (res.status >= 300) throw new Error(`flux report refused: ${res.status} ${await res.text()}`);
      }
    },
    async close() {
      await server.close();
      await runtime.close();
      await registry.stop();
      await health.close();
      await tmp.remove();
    },
  };
}

/** A commit straight into the config repository by a person, now (as a hand edit outside Gantry). */
async function handCommit(repo: string, text: string): Promise<string> {
  const parent = (await runGit(['rev-parse', 'refs/heads/main'], repo)).trim();
  // now, in whole seconds as Git keeps it: often the same second as the promotion just before it,
  // which the lineage must still order after it (by the Git history, not the clock)
  const now = Math.floor(Date.now() / 1000);
  const message = 'hand edit: back to the first build';
  const stream = `commit refs/heads/main\nauthor Linus <linus@example.com> ${now} +0000\ncommitter Linus <linus@example.com> ${now} +0000\ndata ${Buffer.byteLength(message)}\n${message}\nfrom ${parent}\nM 644 inline staging.yaml\ndata ${Buffer.byteLength(text)}\n${text}\n`;
  await runGit(['fast-import', '--quiet'], repo, stream);
  return (await runGit(['rev-parse', 'refs/heads/main'], repo)).trim();
}

/** A build pushed, promoted to staging, reported by Flux and verified: what a version's whole chain needs. */
async function promoteVerified(h: Harness, label: string): Promise<{ id: string; commit: string; digest: string }> {
  const digest = await pushTestImage(h.registry.url, 'app', 'latest', { labels: { n: label } });
  const { id, commit } = await h.promote();
  await h.flux(commit);
  await until(async () => {
    const p = await h.server.store.getPromotion(id);
    return p?.verification?.state === 'verified' ? p : undefined;
  }, 'verified');
  return { id, commit, digest };
}

describe.skipIf(!hasTool('docker-registry'))('the chain and lineage through the server', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  }, 60_000);
  afterEach(async () => {
    await h?.close();
  });

  it('GIVEN a reported build promoted, applied, healthy and verified WHEN its chain is asked THEN every link is done with who, when and its page', async () => {
    const digest = await pushTestImage(h.registry.url, 'app', 'latest', { labels: { n: 'first' } });
    const reported = await h.call('/api/v1/artifacts', h.tokens.ci, {
      image: `${h.registry.host}/app`,
      digest,
      source: {
        repository: 'https://github.com/acme/app',
        commit: SOURCE_SHA,
        branch: 'main',
        author: { name: 'Ann Example', email: 'ann@example.com' },
        message: 'Fix checkout rounding',
        time: '2026-03-01T09:00:00+01:00',
      },
      ci: { runUrl: 'https://github.com/acme/app/actions/runs/42', provider: 'github-actions' },
      steps: [
        { name: 'build', status: 'succeeded', durationMs: 61_000 },
        { name: 'test', status: 'succeeded', durationMs: 30_000 },
      ],
    });
    expect(reported.status).toBe(201);
    const { id, commit } = await h.promote({ reason: 'ship the rounding fix' });

    // pushed, nobody has reported yet: the deployer's links wait
    const before = await h.call<ApiChain>('/api/v1/pipelines/app/phases/staging/chain', h.tokens.ci);
    expect(before.status).toBe(200);
    expect(before.body.chain.map((l) => [l.kind, l.state])).toEqual([
      ['source', 'done'],
      ['ci', 'done'],
      ['image', 'done'],
      ['config', 'done'],
      ['applied', 'pending'],
      ['healthy', 'pending'],
      ['verified', 'pending'],
    ]);

    await h.flux(commit);
    await until(async () => {
      const p = await h.server.store.getPromotion(id);
      return p?.verification?.state === 'verified' ? p : undefined;
    }, 'verified');

    const { body: chain } = await h.call<ApiChain>('/api/v1/pipelines/app/phases/staging/chain', h.tokens.ci);
    expect(chain).toMatchObject({ pipeline: 'app', phase: 'staging', digest, current: true, promotionId: id });
    expect(chain.chain.map((l) => [l.kind, l.state])).toEqual([
      ['source', 'done'],
      ['ci', 'done'],
      ['image', 'done'],
      ['config', 'done'],
      ['applied', 'done'],
      ['healthy', 'done'],
      ['verified', 'done'],
    ]);
    const [source, ci, image, config, applied, healthy, verified] = chain.chain;
    expect(source).toMatchObject({ sha: SOURCE_SHA, by: 'Ann Example', from: 'report', branch: 'main' });
    expect(ci).toMatchObject({ by: 'github-actions (ci-bot)', verified: true });
    expect(ci?.kind === 'ci' && ci.steps.map((s) => `${s.name} ${s.status}`)).toEqual([
      'build succeeded',
      'test succeeded',
    ]);
    expect(image).toMatchObject({ reference: `${h.registry.host}/app`, digest });
    expect(config).toMatchObject({ sha: commit, by: 'grace', promotionId: id, reason: 'ship the rounding fix' });
    expect(applied).toMatchObject({ deployer: 'flux', object: 'Kustomization flux-system/staging' });
    expect(healthy?.by).toBe('flux Kustomization flux-system/staging');
    expect(verified).toMatchObject({ by: 'checks: health' });
    expect(verified?.kind === 'verified' && verified.checks).toEqual([{ name: 'health', status: 'passed' }]);
    // each link says when it happened
    expect(chain.chain.filter((l) => l.at === undefined || Number.isNaN(Date.parse(l.at)))).toEqual([]);
    expect(chain.links).toEqual({
      sourceCommit: `https://github.com/acme/app/commit/${SOURCE_SHA}`,
      ciRun: 'https://github.com/acme/app/actions/runs/42',
      image: `https://registry.example.com/app@${digest}`,
      configCommit: `https://git.example.com/config/commit/${commit}`,
    });
  }, 60_000);

  it('GIVEN a build without a report WHEN its chain is asked THEN the source comes from the OCI labels and CI is unknown; an older version by ?digest= is still there', async () => {
    const verifiedFirst = await promoteVerified(h, 'first');
    const first = await h.server.store.getPromotion(verifiedFirst.id);
    const digest = await pushTestImage(h.registry.url, 'app', 'latest', {
      labels: {
        'org.opencontainers.image.revision': LABEL_SHA,
        'org.opencontainers.image.source': 'https://gitlab.com/acme/app',
      },
    });
    const { commit } = await h.promote();
    const { body: chain } = await h.call<ApiChain>('/api/v1/pipelines/app/phases/staging/chain', h.tokens.ci);
    expect(chain.digest).toBe(digest);
    expect(chain.chain[0]).toMatchObject({ kind: 'source', state: 'done', sha: LABEL_SHA, from: 'labels' });
    expect(chain.chain[0]?.url).toBe(`https://gitlab.com/acme/app/-/commit/${LABEL_SHA}`);
    expect(chain.chain[1]).toMatchObject({ kind: 'ci', state: 'unknown' });
    expect(chain.chain[3]).toMatchObject({ kind: 'config', sha: commit });

    const older = await h.call<ApiChain>(
      `/api/v1/pipelines/app/phases/staging/chain?digest=${encodeURIComponent(first?.toDigest ?? '')}`,
      h.tokens.ci,
    );
    expect(older.body).toMatchObject({ current: false, promotionId: first?.id });
    expect(older.body.chain.find((l) => l.kind === 'verified')?.state).toBe('done');

    // the diff preview of an older version: what a release of it writes (upstream and current are the newer one)
    const preview = await h.call<ApiPlan>(
      `/api/v1/pipelines/app/phases/staging/plan?digest=${encodeURIComponent(first?.toDigest ?? '')}`,
      h.tokens.admin,
    );
    expect(preview.body).toMatchObject({ kind: 'promote', target: { digest: first?.toDigest } });

    const unknown = await h.call<{ code: string }>(
      `/api/v1/pipelines/app/phases/staging/chain?digest=sha256:${'9'.repeat(64)}`,
      h.tokens.ci,
    );
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    const both = await h.call<{ code: string }>(
      '/api/v1/pipelines/app/phases/staging/chain?version=a&digest=b',
      h.tokens.ci,
    );
    expect(both.status).toBe(400);
  }, 60_000);

  it('GIVEN a hand edit in the config repository WHEN the lineage is asked THEN versions from Gantry and from Git history enter and leave staging; an older one can be previewed and released', async () => {
    const first = await h.server.store.getPromotion((await promoteVerified(h, 'first')).id);
    await pushTestImage(h.registry.url, 'app', 'latest', { labels: { n: 'second' } });
    const second = await h.server.store.getPromotion((await h.promote()).id);
    const handSha = await handCommit(h.repo, `image: ${h.registry.host}/app@${first?.toDigest}\n`);
    h.remoteChanged();
    await h.server.deps.state.refresh(['app']);

    const { status, body } = await h.call<ApiLineage>('/api/v1/pipelines/app/lineage', h.tokens.ci);
    expect(status).toBe(200);
    expect(body.phases).toEqual([
      { phase: 'oci', writable: false },
      { phase: 'staging', writable: true },
    ]);
    const cell = (digest: string | undefined) =>
      body.versions.find((v) => v.digest === digest)?.phases.find((c) => c.phase === 'staging');
    // the first build: Gantry's promotion, verified; replaced by the second; back by a hand edit
    const one = cell(first?.toDigest);
    expect(one?.stays.map((s) => [s.via, s.commit])).toEqual([
      ['gantry', first?.commitSha],
      ['git', handSha],
    ]);
    expect(one).toMatchObject({ current: true, verified: true });
    expect(one?.stays[1]?.url).toBe(`https://git.example.com/config/commit/${handSha}`);
    expect(one?.stays[1]?.by).toBe('Linus');
    const two = cell(second?.toDigest);
    expect(two).toMatchObject({ current: false, verified: false });
    // left when the hand edit came (its whole-second time), never before it entered
    const handAt = one?.stays[1]?.enteredAt ?? '';
    const twoIn = two?.enteredAt ?? '';
    expect(two?.leftAt).toBe([handAt, twoIn].sort().at(-1));
    // the layout's first digest: in Git history only, never written by Gantry
    const zero = cell(ZERO);
    expect(zero?.stays.map((s) => s.via)).toEqual(['git']);
    expect(zero?.leftAt).toBe(one?.enteredAt);

    // the chain of a version Gantry did not write this time: the hand commit
    const now = await h.call<ApiChain>('/api/v1/pipelines/app/phases/staging/chain', h.tokens.ci);
    expect(now.body).toMatchObject({ current: true, digest: first?.toDigest });

    // pick the second build again: its diff preview, then the release records a promotion
    const release = body.versions.find((v) => v.digest === second?.toDigest)?.release;
    expect(release).toEqual({ digest: second?.toDigest });
    const plan = await h.call<ApiPlan>(
      `/api/v1/pipelines/app/phases/staging/plan?digest=${encodeURIComponent(second?.toDigest ?? '')}`,
      h.tokens.admin,
    );
    expect(plan.body.kind).toBe('promote');
    expect(plan.body.kind === 'promote' && plan.body.diff).toContain(
      `+image: ${h.registry.host}/app@${second?.toDigest}`,
    );
    const released = await h.promote({ digest: second?.toDigest ?? '' });
    expect((await h.server.store.getPromotion(released.id))?.toDigest).toBe(second?.toDigest);
  }, 60_000);
});
