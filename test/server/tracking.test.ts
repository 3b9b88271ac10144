import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import { argoEventFor, fluxEventFor } from '@gantry/deployments';
import type { Promotion } from '@gantry/store';
import { commitToBareRepo, readBareFile, tempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';
import { until } from './until.js';

/** Waits until `fn` holds (polling the API, as a user would). */
const eventually = (what: string, fn: () => Promise<boolean>) =>
  until(async () => ((await fn()) ? true : undefined), what);

const FLUX = 'flux-secret';

/** What Flux's staging Kustomization sends for `commit` (signed with the server's secret unless told otherwise). */
const stagingReport = (
  commit: string,
  o: { ok?: boolean; failure?: 'health-check'; name?: string; secret?: string; time?: Date } = {},
) =>
  fluxEventFor({
    ref: { kind: 'flux-kustomization', namespace: 'flux-system', name: o.name ?? 'staging' },
    commit,
    branch: 'main',
    ok: o.ok ?? true,
    ...(o.failure ? { failure: o.failure } : {}),
    time: o.time ?? new Date(),
    secret: o.secret ?? FLUX,
  });
const ARGO = 'argo-secret';

/** A local service whose health endpoint answers what the test says. */
async function healthEndpoint(): Promise<{ url: string; status: { code: number }; close(): Promise<void> }> {
  const status = { code: 200 };
  const server: Server = createServer((_req, res) => {
    res.statusCode = status.code;
    res.end(status.code === 200 ? 'ok' : 'broken');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/healthz`,
    status,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const yaml = (healthUrl: string) => `dataDir: .gantry
logLevel: warn
repositories:
  config: { url: ./config.git, branch: main }
registries:
  sandbox: { layout: ./registry, host: localhost:5000 }
server:
  schedules: []
  webhooks:
    flux: { secret: ${FLUX} }
    argocd: { secret: ${ARGO} }
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: sandbox, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source:
          type: git
          repository: config
          path: env/staging/deployment.yaml
          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }
        deployer: { kind: flux-kustomization, namespace: flux-system, name: staging }
        verify:
          checks:
            - { kind: http, name: health, url: "${healthUrl}", retries: 1, interval: 10ms, timeout: 2s }
      - name: production
        promotesFrom: staging
        autoPromote: true
        source:
          type: git
          repository: config
          path: env/production/deployment.yaml
          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }
        deployer: { kind: argocd-application, name: app-production }
`;

describe('deployment tracking and verification, through the API', () => {
  let s: SandboxServer;
  let health: Awaited<ReturnType<typeof healthEndpoint>>;
  beforeEach(async () => {
    health = await healthEndpoint();
    const tmp = await tempDir('gantry-tracking-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    await writeFile(join(dir, 'gantry.yaml'), yaml(health.url));
    s = await sandboxServer({ tmp });
  });
  afterEach(async () => {
    await s.close();
    await health.close();
  });

  const promotion = async (id: string) =>
    (await (await s.api(`/api/v1/promotions/${id}`)).json()) as Promotion & { deployment?: { state: string } };
  const history = async (phase: string) =>
    ((await (await s.api(`/api/v1/pipelines/app/phases/${phase}/history`)).json()) as { items: Promotion[] }).items;
  const post = (path: string, req: { body: string; headers: Readonly<Record<string, string>> }) =>
    s.api(path, { method: 'POST', body: req.body, headers: { ...req.headers } });

  async function promoteStaging(): Promise<{ id: string; commit: string; digest: string }> {
    const digest = await pushSandboxImage(s.dir);
    const res = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
    expect(res.status).toBe(202);
    const { promotion: p } = (await res.json()) as { promotion: { id: string } };
    await s.server.deps.promotions.idle();
    const done = await promotion(p.id);
    expect(done.state).toBe('succeeded');
    return { id: p.id, commit: done.commitSha as string, digest };
  }

  it('GIVEN staging promoted WHEN Flux reports it healthy and its check passes THEN staging is verified, production is auto-promoted, and Argo CD settles it', async () => {
    const staging = await promoteStaging();
    // production waits: staging is not verified yet
    expect(await history('production')).toEqual([]);

    // WHEN Flux (generic-hmac) reports the commit reconciled
    const flux = stagingReport(staging.commit);
    const res = await post('/api/v1/webhooks/flux', flux);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ matched: ['app/staging'], settled: [staging.id], duplicate: false });

    // THEN staging is healthy, its check passes, and it is verified
    await eventually(
      '(promotion(staging.id)).verification?.state === verified',
      async () => (await promotion(staging.id)).verification?.state === 'verified',
    );
    const verified = await promotion(staging.id);
    expect(verified.deployment).toMatchObject({ state: 'healthy', deployer: 'flux', commit: staging.commit });
    const checks = await s.server.store.listCheckResults(staging.id);
    expect(checks).toMatchObject([{ name: 'health', run: 1, result: { status: 'passed' } }]);

    // AND production was promoted automatically to the same version
    await eventually(
      '(history(production))[0]?.state === succeeded',
      async () => (await history('production'))[0]?.state === 'succeeded',
    );
    const [prod] = await history('production');
    expect(prod).toMatchObject({ toDigest: staging.digest, trigger: { kind: 'policy' } });
    expect(await readBareFile(s.bare, 'main', 'env/production/deployment.yaml')).toContain(staging.digest);

    // WHEN Argo CD reports production Synced/Healthy (a later commit: ancestry settles it)
    const argo = argoEventFor({
      ref: { kind: 'argocd-application', name: 'app-production' },
      commit: prod?.commitSha as string,
      ok: true,
      time: new Date(),
      token: ARGO,
    });
    expect((await post('/api/v1/webhooks/argocd', argo)).status).toBe(202);
    // THEN production is verified (its deployer is its only proof)
    await eventually(
      '(promotion(prod?.id as string)).verification?.state === verified',
      async () => (await promotion(prod?.id as string)).verification?.state === 'verified',
    );
    // AND the same report again is acknowledged as a duplicate and changes nothing
    const again = await post('/api/v1/webhooks/argocd', argo);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
  });

  it('GIVEN staging promoted WHEN its health check fails THEN verification fails with the check, and production stays where it was', async () => {
    const staging = await promoteStaging();
    const before = await readBareFile(s.bare, 'main', 'env/production/deployment.yaml');
    health.status.code = 503;
    // WHEN
    const flux = stagingReport(staging.commit);
    expect((await post('/api/v1/webhooks/flux', flux)).status).toBe(202);
    // THEN
    await eventually(
      '(promotion(staging.id)).verification?.state === failed',
      async () => (await promotion(staging.id)).verification?.state === 'failed',
    );
    expect((await promotion(staging.id)).verification).toMatchObject({ state: 'failed', failed: ['health'] });
    const [check] = await s.server.store.listCheckResults(staging.id);
    expect(check?.result).toMatchObject({ status: 'failed' });
    await s.server.deps.promotions.idle();
    expect(await history('production')).toEqual([]);
    expect(await readBareFile(s.bare, 'main', 'env/production/deployment.yaml')).toBe(before);

    // WHEN the service is fixed and verification re-run
    health.status.code = 200;
    await s.server.deps.promotions.reverify(staging.id);
    // THEN a second run verifies it and production moves on
    await eventually(
      '(promotion(staging.id)).verification?.state === verified',
      async () => (await promotion(staging.id)).verification?.state === 'verified',
    );
    expect((await promotion(staging.id)).verification?.run).toBe(2);
    await eventually(
      '(history(production))[0]?.state === succeeded',
      async () => (await history('production'))[0]?.state === 'succeeded',
    );
  });

  it('GIVEN Flux reports a failure WHEN staging was promoted THEN it is failed, verification fails, and production stays', async () => {
    const staging = await promoteStaging();
    const flux = stagingReport(staging.commit, { ok: false, failure: 'health-check' });
    expect((await post('/api/v1/webhooks/flux', flux)).status).toBe(202);
    const p = await promotion(staging.id);
    expect(p.deployment?.state).toBe('degraded');
    expect(p.verification).toMatchObject({ state: 'failed', failed: ['deployer'] });
    await s.server.deps.promotions.idle();
    expect(await history('production')).toEqual([]);
  });

  it('GIVEN deployer reports that are forged, malformed or nobody’s WHEN posted THEN 401 records nothing, 400 names the field, and an unknown object is 202 and listed as unmatched', async () => {
    const staging = await promoteStaging();
    const good = stagingReport(staging.commit);
    // forged: signed with another secret
    const forged = stagingReport(staging.commit, { secret: 'wrong' });
    const refused = await post('/api/v1/webhooks/flux', forged);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'deployer_unauthenticated' });
    expect((await s.server.store.listDeployerEvents({})).items).toEqual([]);
    expect((await promotion(staging.id)).deployment).toBeUndefined();

    // malformed: signed, but no involvedObject.name
    const body = JSON.parse(good.body) as { involvedObject: Record<string, unknown> };
    delete body.involvedObject.name;
    const { signFluxBody } = await import('@gantry/deployments');
    const raw = JSON.stringify(body);
    const bad = await post('/api/v1/webhooks/flux', {
      body: raw,
      headers: { 'content-type': 'application/json', 'x-signature': signFluxBody(raw, FLUX) },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toContain('involvedObject.name');

    // nobody's: a Kustomization no phase names
    const stranger = stagingReport(staging.commit, { name: 'somebody-else' });
    const unmatched = await post('/api/v1/webhooks/flux', stranger);
    expect(unmatched.status).toBe(202);
    expect(await unmatched.json()).toMatchObject({ matched: [], settled: [] });
    const listed = await s.server.store.listDeployerEvents({ unmatched: true });
    expect(listed.items.map((e) => e.object.name)).toEqual(['somebody-else']);
  });

  it('GIVEN two staging promotions and a later hand-made commit WHEN Flux reports only that later commit THEN both promotions it contains are settled (ancestry, not string equality)', async () => {
    const first = await promoteStaging();
    const second = await promoteStaging();
    // someone else commits on top, out of Gantry
    const later = await commitToBareRepo(s.bare, { files: { 'README.md': 'hand-made\n' }, message: 'docs' });
    const flux = stagingReport(later);
    const res = await post('/api/v1/webhooks/flux', flux);
    expect(res.status).toBe(202);
    expect(((await res.json()) as { settled: string[] }).settled.sort()).toEqual([first.id, second.id].sort());
    for (const id of [first.id, second.id]) {
      expect((await promotion(id)).deployment).toMatchObject({ state: 'healthy', commit: later });
    }
  });

  it('GIVEN a storm of 1,000 deployer reports WHEN they arrive at once THEN all are recorded and none is lost', async () => {
    const staging = await promoteStaging();
    const requests = Array.from({ length: 1000 }, (_, i) =>
      stagingReport(staging.commit, {
        name: `svc-${i}`,
        time: new Date(Date.UTC(2030, 0, 1, 0, 0, i % 60, 0) + i * 60_000),
      }),
    );
    const statuses = await Promise.all(requests.map((r) => post('/api/v1/webhooks/flux', r).then((x) => x.status)));
    expect(statuses.filter((x) => x === 202)).toHaveLength(1000);
    let total = 0;
    let cursor: string | undefined;
    do {
      const page = await s.server.store.listDeployerEvents({ limit: 500, ...(cursor ? { cursor } : {}) });
      total += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    expect(total).toBe(1000);
    // the server still answers
    expect((await s.api('/api/v1/pipelines/app')).status).toBe(200);
  });
});
