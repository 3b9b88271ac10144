import { ApiProblemError } from '@gantry/client';
import { argoEventFor, fluxEventFor, signFluxBody } from '@gantry/deployments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifiedSandbox } from './verified-sandbox.js';
import { FLUX_SECRET, STAGING_KUSTOMIZATION, verifiedSandbox } from './verified-sandbox.js';

const ARGO_SECRET = 'argo-secret';
const COMMIT = 'a'.repeat(40);

describe('GET /api/v1/deployer-events: what Flux and Argo CD reported, with the mapping that would match it', () => {
  let v: VerifiedSandbox;
  beforeAll(async () => {
    v = await verifiedSandbox({ serverYaml: `    argocd: { secret: ${ARGO_SECRET} }\n` });
    const staging = await v.promoteStaging();
    // GIVEN a report on staging's Kustomization (matched), then three nobody's: a Kustomization
    // and an Argo CD Application no phase names, and a Flux GitRepository no phase can name
    expect((await v.flux(staging.commit)).status).toBe(202);
    expect((await v.flux(COMMIT, { name: 'billing' })).status).toBe(202);
    const argo = argoEventFor({
      ref: { kind: 'argocd-application', namespace: 'argocd', name: 'web' },
      commit: COMMIT,
      ok: true,
      time: new Date(),
      token: ARGO_SECRET,
    });
    expect((await v.post('/api/v1/webhooks/argocd', argo)).status).toBe(202);
    const body = JSON.parse(
      fluxEventFor({ ref: STAGING_KUSTOMIZATION, commit: COMMIT, branch: 'main', ok: true, time: new Date() }).body,
    ) as { involvedObject: Record<string, string> };
    body.involvedObject = { ...body.involvedObject, kind: 'GitRepository', name: 'config' };
    const raw = JSON.stringify(body);
    const source = await v.post('/api/v1/webhooks/flux', {
      body: raw,
      headers: { 'content-type': 'application/json', 'x-signature': signFluxBody(raw, FLUX_SECRET) },
    });
    expect(source.status).toBe(202);
  });
  afterAll(() => v.close());

  it('GIVEN recorded reports WHEN the unmatched are listed THEN newest first, each with the deployer: mapping that would match it', async () => {
    const { items, nextCursor } = await v.client().deployerEvents({ unmatched: true });
    expect(nextCursor).toBeUndefined();
    expect(items.map((e) => [e.deployer, e.object.kind, e.object.name, e.matched, e.mapping])).toEqual([
      ['flux', 'GitRepository', 'config', [], undefined],
      ['argocd', 'Application', 'web', [], { kind: 'argocd-application', namespace: 'argocd', name: 'web' }],
      [
        'flux',
        'Kustomization',
        'billing',
        [],
        { kind: 'flux-kustomization', namespace: 'flux-system', name: 'billing' },
      ],
    ]);
    expect(items[2]).toMatchObject({ commit: COMMIT, state: 'healthy' });
    expect(items[2]?.message).toBeTruthy();
    expect(Object.keys(items[2] ?? {})).not.toContain('key');

    // AND all of them, the matched one too
    const all = await v.client().deployerEvents();
    expect(all.items).toHaveLength(4);
    expect(all.items[3]).toMatchObject({ matched: ['app/staging'], mapping: STAGING_KUSTOMIZATION });
  });

  it('GIVEN a page size THEN pages follow each other by cursor; GIVEN a cursor or query the server does not accept THEN 400 naming the field', async () => {
    const first = await v.client().deployerEvents({ unmatched: true, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeDefined();
    const second = await v.client().deployerEvents({ unmatched: true, limit: 2, cursor: first.nextCursor as string });
    expect(second.items.map((e) => e.object.name)).toEqual(['billing']);
    expect(second.nextCursor).toBeUndefined();

    const problem = async (query: string) => {
      const r = await v.s.api(`/api/v1/deployer-events?${query}`);
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      return (await r.json()) as { code: string; field?: string; detail: string };
    };
    expect(await problem('cursor=garbage')).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
    expect((await problem('limit=0')).detail).toContain('[limit]');
    expect((await problem('limit=501')).detail).toContain('[limit]');
    expect((await problem('unmatched=yes')).detail).toContain('[unmatched]');
    // through the client the same
    await expect(v.client().deployerEvents({ cursor: 'garbage' })).rejects.toBeInstanceOf(ApiProblemError);
  });
});
