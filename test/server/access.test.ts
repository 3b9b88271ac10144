import { pushSandboxImage } from '@gantry/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';

describe('access control: tokens with roles, per-phase rules, audit', () => {
  let s: SandboxServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const first = await sandboxServer({
      serverYaml: ['server:', '  permissions:', '    - { phase: production, role: admin }', ''].join('\n'),
    });
    expect(first.server.deps.open).toBe(true);
    for (const role of ['viewer', 'promoter', 'admin'] as const) {
      tokens[role] = (await first.server.store.createToken({ name: `${role}-bot`, role })).token;
    }
    // tokens exist now: a restarted server requires them
    s = await first.restart();
  });
  afterAll(() => s.close());

  it('GIVEN tokens exist WHEN no or a bad token is sent THEN 401', async () => {
    expect(s.server.deps.open).toBe(false);
    expect((await s.api('/api/v1/pipelines')).status).toBe(401);
    const bad = await s.api('/api/v1/pipelines', { token: 'gty_nope' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: 'unauthorized' });
  });

  it('GIVEN a viewer WHEN reading THEN allowed; WHEN promoting THEN 403 naming the role needed', async () => {
    expect((await s.api('/api/v1/pipelines', { token: tokens.viewer })).status).toBe(200);
    const r = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', token: tokens.viewer });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { detail: string }).detail).toContain('needs role promoter');
  });

  it('GIVEN production needs admin WHEN a promoter promotes it THEN 403, and an admin may', async () => {
    await pushSandboxImage(s.dir);
    const staging = await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
      method: 'POST',
      token: tokens.promoter,
    });
    expect(staging.status).toBe(202);
    await s.server.deps.promotions.idle();
    const denied = await s.api('/api/v1/pipelines/app/phases/production/promotions', {
      method: 'POST',
      token: tokens.promoter,
    });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { detail: string }).detail).toContain('needs role admin');
    const allowed = await s.api('/api/v1/pipelines/app/phases/production/promotions', {
      method: 'POST',
      token: tokens.admin,
    });
    expect(allowed.status).toBe(202);
    await s.server.deps.promotions.idle();
  });

  it('GIVEN mutating calls WHEN the audit is read THEN each is recorded with its actor', async () => {
    const audit = await s.server.store.listAudit({ limit: 10 });
    expect(audit.items.map((a) => [a.actor, a.action, a.subject])).toEqual(
      expect.arrayContaining([
        ['promoter-bot', 'promote', 'app/staging'],
        ['admin-bot', 'promote', 'app/production'],
      ]),
    );
  });

  it('GIVEN tokens WHEN stored THEN only their hashes are', async () => {
    const all = JSON.stringify(await s.server.store.listTokens());
    for (const t of Object.values(tokens)) expect(all).not.toContain(t);
  });
});
