import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import type { Promotion } from '@gantry/store';
import type { TempDir } from '@gantry/testing';
import { tempDir } from '@gantry/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClockedServer } from './clocked-server.js';
import { clockedServer, testClock } from './clocked-server.js';

/** Saturday noon UTC: outside office hours. */
const SATURDAY = '2025-12-06T12:00:00Z';

const yaml = `dataDir: .gantry
repositories:
  config: { url: ./config.git, branch: main }
registries:
  sandbox: { layout: ./registry, host: localhost:5000 }
server:
  schedules: []
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
      - name: production
        promotesFrom: staging
        source:
          type: git
          repository: config
          path: env/production/deployment.yaml
          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }
        gates:
          - { kind: soak, name: soaked, duration: 0s }
          - kind: window
            name: office hours
            timeZone: UTC
            allow: [{ days: mon-fri, from: "09:00", to: "17:00" }]
            freezes:
              - { reason: year-end freeze, start: "2025-12-20T00:00Z", end: "2026-01-05T09:00Z" }
`;

const OVERRIDE = `/api/v1/pipelines/app/phases/production/gates/${encodeURIComponent('office hours')}/override`;

interface Verdict {
  gate: string;
  outcome: string;
  reason: string;
  evidence?: { override?: { by: string; reason: string } };
}

describe('overrides of window gates', () => {
  let tmp: TempDir | undefined;
  let s: ClockedServer | undefined;
  afterEach(async () => {
    await s?.close();
    await tmp?.remove();
    s = undefined;
  });

  async function start(at: string) {
    tmp = await tempDir('gantry-overrides-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    const clock = testClock(at);
    s = await clockedServer(dir, yaml, clock, { ann: 'admin', pat: 'promoter', vic: 'viewer' });
    const api = s.api;
    await pushSandboxImage(dir);
    await s.server.deps.state.refresh(['app']);
    const staged = await api('/api/v1/pipelines/app/phases/staging/promotions', {
      method: 'POST',
      json: {},
      token: s.tokens.ann,
    });
    expect(staged.status).toBe(202);
    await s.server.deps.promotions.idle();
    return { s, dir, clock, api };
  }

  it('GIVEN production waits for office hours WHEN an admin overrides the window with a reason THEN the waiting promotion goes, and the verdict, the promotion and the audit log say who and why', async () => {
    const { s, api } = await start(SATURDAY);
    const asked = await api('/api/v1/pipelines/app/phases/production/promotions', {
      method: 'POST',
      json: {},
      token: s.tokens.pat,
    });
    const { promotion } = (await asked.json()) as { promotion: Promotion };
    expect(promotion.state).toBe('waiting');
    expect((promotion.gates as unknown as Verdict[]).find((v) => v.gate === 'office hours')?.outcome).toBe('wait');

    // a promoter may not override; a viewer neither
    for (const who of ['pat', 'vic']) {
      const refused = await api(OVERRIDE, { method: 'POST', json: { reason: 'outage' }, token: s.tokens[who] });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: 'forbidden' });
    }
    // without a reason (or a blank one): 400 naming the field
    for (const json of [{}, { reason: '   ' }]) {
      const bare = await api(OVERRIDE, { method: 'POST', json, token: s.tokens.ann });
      expect(bare.status).toBe(400);
      const problem = (await bare.json()) as { code: string; field: string; issues: Array<{ path: string }> };
      expect(problem).toMatchObject({ code: 'invalid_request', field: 'reason' });
      // AND every refused field is listed, as docs/api.md promises for invalid_request
      expect(problem.issues.map((i) => i.path)).toEqual(['reason']);
    }
    // an unknown gate, and a gate that is not a window: 404 naming the window gates
    const unknown = await api('/api/v1/pipelines/app/phases/production/gates/hours/override', {
      method: 'POST',
      json: { reason: 'outage' },
      token: s.tokens.ann,
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'unknown_gate', known: ['office hours'] });
    const soak = await api('/api/v1/pipelines/app/phases/production/gates/soaked/override', {
      method: 'POST',
      json: { reason: 'outage' },
      token: s.tokens.ann,
    });
    expect(soak.status).toBe(404);
    expect(((await soak.json()) as { detail: string }).detail).toMatch(/soak gate.*only window gates/);
    // an expiry already past
    const past = await api(OVERRIDE, {
      method: 'POST',
      json: { reason: 'outage', expiresAt: '2025-12-06T11:00:00Z' },
      token: s.tokens.ann,
    });
    expect(past.status).toBe(400);
    expect(await past.json()).toMatchObject({ field: 'expiresAt' });
    // nothing was recorded by the refusals, and the promotion still waits
    expect(await s.server.store.listOverrides({})).toEqual([]);
    expect((await s.server.store.getPromotion(promotion.id))?.state).toBe('waiting');

    // WHEN an admin overrides the window for this version
    const given = await api(OVERRIDE, {
      method: 'POST',
      json: { reason: 'checkout outage, fix must ship', version: promotion.toVersion },
      token: s.tokens.ann,
    });
    expect(given.status).toBe(201);
    const body = (await given.json()) as {
      override: { gate: string; actor: string; digest?: string };
      promotions: Promotion[];
    };
    expect(body.override).toMatchObject({ gate: 'office hours', actor: 'ann', digest: promotion.toDigest });
    // THEN the waiting promotion is released at once
    expect(body.promotions.map((p) => [p.id, p.state])).toEqual([[promotion.id, 'queued']]);
    await s.server.deps.promotions.idle();
    const done = (await s.server.store.getPromotion(promotion.id)) as Promotion;
    expect(done.state).toBe('succeeded');
    const window = (done.gates as unknown as Verdict[]).find((v) => v.gate === 'office hours');
    expect(window).toMatchObject({ outcome: 'pass', evidence: { override: { by: 'ann' } } });
    expect(window?.reason).toMatch(/overridden by ann: checkout outage/);

    // AND the audit log records it
    const audit = await s.server.store.listAudit({ limit: 20 });
    const entry = audit.items.find((a) => a.action === 'override');
    expect(entry).toMatchObject({ actor: 'ann', subject: 'app/production' });
    expect(entry?.detail).toMatchObject({ gate: 'office hours', reason: 'checkout outage, fix must ship' });

    // AND it is listed while in force
    const listed = await api('/api/v1/pipelines/app/phases/production/gates/overrides', { token: s.tokens.vic });
    expect(((await listed.json()) as { items: { reason: string }[] }).items.map((o) => o.reason)).toEqual([
      'checkout outage, fix must ship',
    ]);
  });

  it('GIVEN a freeze WHEN an admin overrides it for any version until an hour from now THEN promotions pass meanwhile, and once it expired a newer version waits again', async () => {
    const { s, api, dir, clock } = await start('2025-12-22T10:00:00Z');
    const why = async () =>
      (
        (await (await api('/api/v1/pipelines/app/phases/production/why', { token: s.tokens.vic })).json()) as {
          gates: { verdicts: Verdict[] };
        }
      ).gates.verdicts.find((v) => v.gate === 'office hours');
    expect((await why())?.reason).toMatch(/frozen: year-end freeze/);

    const given = await api(OVERRIDE, {
      method: 'POST',
      json: { reason: 'security patch', expiresAt: '2025-12-22T11:00:00Z' },
      token: s.tokens.ann,
    });
    expect(given.status).toBe(201);
    expect(((await given.json()) as { override: { digest?: string } }).override.digest).toBeUndefined();
    expect(await why()).toMatchObject({ outcome: 'pass', evidence: { override: { reason: 'security patch' } } });

    // WHEN the override expired and a newer version comes
    clock.advance(2 * 60 * 60 * 1000);
    await pushSandboxImage(dir, new Date('2025-12-22T12:00:00Z'));
    await s.server.deps.state.refresh(['app']);
    await api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {}, token: s.tokens.ann });
    await s.server.deps.promotions.idle();
    // THEN the freeze holds it again, and no override is in force
    expect(await why()).toMatchObject({ outcome: 'wait' });
    const listed = await api('/api/v1/pipelines/app/phases/production/gates/overrides', { token: s.tokens.vic });
    expect(((await listed.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
