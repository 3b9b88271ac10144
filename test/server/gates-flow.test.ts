import { join } from 'node:path';
import type { Hold, Promotion } from '@gantry/store';
import { signBody } from '@gantry/server';
import { createBareRepo, hasTool, pushTestImage, readBareFile, startRegistry, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { clockedServer, testClock } from './clocked-server.js';
import { until } from './until.js';

const ZERO = `sha256:${'0'.repeat(64)}`;
const SECRET = 'registry-hook-secret';
const HOUR = 60 * 60 * 1000;

const deployment = (host: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${host}/app@${ZERO}\n`;

/**
 * oci (a real registry) -> staging (automatic; other branches only by hand) -> production
 * (automatic, behind: built from main, a ticket in the commit, 2h soak in staging, two admins,
 * weekdays 09:00-17:00 UTC). The branch comes from a label this registry's images carry.
 */
const gantryYaml = (url: string, host: string) => `dataDir: .gantry
repositories:
  config: { url: ./config.git }
registries:
  reg:
    url: "${url}"
    host: "${host}"
    sourceLabels: { branch: com.example.git-branch }
server:
  webhookSecret: ${SECRET}
  schedules: []
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: reg, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        autoPromote: true
        source: { type: git, repository: config, path: env/staging.yaml, updater: { type: kubernetes-image, container: app } }
        gates:
          - { kind: branch, name: main-or-by-hand, branches: main, manualOnly: true }
      - name: production
        promotesFrom: staging
        autoPromote: true
        source: { type: git, repository: config, path: env/production.yaml, updater: { type: kubernetes-image, container: app } }
        gates:
          - { kind: branch, name: main-only, branches: main }
          - { kind: commit, name: ticket, ticket: "SHOP-\\\\d+", ticketExample: SHOP-1 }
          - { kind: soak, name: soaked, duration: 2h }
          - { kind: approval, name: two-admins, count: 2, roles: [admin] }
          - kind: window
            name: office hours
            timeZone: UTC
            allow: [{ days: mon-fri, from: "09:00", to: "17:00" }]
`;

interface Verdict {
  gate: string;
  outcome: 'pass' | 'wait' | 'block';
  reason: string;
  unblock?: string;
}

const sha = (n: number) => `${String(n).repeat(8)}${'a'.repeat(32)}`.slice(0, 40);

describe.skipIf(!hasTool('docker-registry'))('gates, end to end', () => {
  it('GIVEN a hotfix and main builds WHEN they flow THEN the hotfix stops at staging, main soaks, is approved by two admins, waits for the window and goes; a rollback pins production and a push does not move it until unpinned', async () => {
    const registry = await startRegistry();
    const tmp = await tempDir('gantry-gates-flow-');
    // Monday 1 December 2025, 06:00 UTC: before office hours
    const clock = testClock('2025-12-01T06:00:00Z');
    let close: (() => Promise<void>) | undefined;
    try {
      const bare = join(tmp.path, 'config.git');
      await createBareRepo(bare, {
        'env/staging.yaml': deployment(registry.host),
        'env/production.yaml': deployment(registry.host),
      });
      const s = await clockedServer(tmp.path, gantryYaml(registry.url, registry.host), clock, {
        ann: 'admin',
        bob: 'admin',
        carl: 'admin',
        pat: 'promoter',
      });
      close = s.close;
      const { promotions, state, reconciler } = s.server.deps;
      const api = s.api;
      const t = s.tokens;

      /**
       * Pushes a build with its source labels, as CI would. `notify`: the registry tells Gantry
       * (a signed Distribution notification); otherwise Gantry only forgets what it read of the tag.
       */
      const push = async (n: number, branch: string, message: string, notify = false) => {
        const digest = await pushTestImage(registry.url, 'app', 'latest', {
          labels: {
            'com.example.git-branch': branch,
            'org.opencontainers.image.revision': sha(n),
            'dev.gantry.commit.message': message,
          },
        });
        if (!notify) {
          s.runtime.registries.changed('app', 'reg');
          await state.refresh(['app']);
          return digest;
        }
        const body = JSON.stringify({
          events: [{ id: `push-${n}`, action: 'push', target: { repository: 'app', tag: 'latest', digest } }],
        });
        const r = await s.server.app.request('/api/v1/webhooks/registry', {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', 'x-gantry-signature-256': signBody(SECRET, body) },
        });
        expect(r.status).toBe(202);
        return digest;
      };
      /** A reconcile as a schedule would run one, then every promotion it started, to its end. */
      const reconcile = async () => {
        await reconciler?.reconcile(['app'], { kind: 'schedule', schedule: 'test' });
        await promotions.idle();
      };
      const why = async (phase: string) =>
        (
          (await (await api(`/api/v1/pipelines/app/phases/${phase}/why`, { token: t.pat })).json()) as {
            gates?: { verdicts: Verdict[] };
          }
        ).gates?.verdicts ?? [];
      const verdictOf = async (phase: string, gate: string) => (await why(phase)).find((v) => v.gate === gate);
      const history = async (phase: string) =>
        (await s.server.store.listPromotions({ pipeline: 'app', phase, limit: 50 })).items;
      const holding = async (phase: string) => readBareFile(bare, 'main', `env/${phase}.yaml`);
      const promote = (phase: string, who: string, json: Record<string, unknown> = {}) =>
        api(`/api/v1/pipelines/app/phases/${phase}/promotions`, { method: 'POST', json, token: t[who] });
      const decide = async (id: string, who: string) => {
        const r = await api(`/api/v1/promotions/${id}/approve`, { method: 'POST', json: {}, token: t[who] });
        expect(r.status).toBe(200);
        return (await r.json()) as Promotion & { gates: Verdict[] };
      };

      // --- a hotfix build: automation leaves it, a person releases it to staging, production refuses it
      const hotfix = await push(1, 'hotfix/x', 'fix the cart total');
      await reconcile();
      expect(await holding('staging')).not.toContain(hotfix);
      expect((await verdictOf('staging', 'main-or-by-hand'))?.reason).toMatch(/built from hotfix\/x: .*by hand only/);

      await state.refresh(['app']);
      const byHand = await promote('staging', 'pat', { reason: 'hotfix for the cart' });
      expect(byHand.status).toBe(202);
      await promotions.idle();
      expect(await holding('staging')).toContain(hotfix);

      await reconcile();
      expect(await holding('production')).not.toContain(hotfix);
      const branchVerdict = await verdictOf('production', 'main-only');
      expect(branchVerdict).toMatchObject({ outcome: 'block' });
      expect(branchVerdict?.reason).toBe('built from hotfix/x; only versions from main may enter');
      // a person cannot push it through either: the rule, not automation, refuses it
      const refused = await promote('production', 'ann');
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { detail: string }).detail).toMatch(/main-only: built from hotfix\/x/);

      // --- a main build, released to staging by hand
      const main1 = await push(2, 'main', 'SHOP-7 faster checkout');
      expect((await promote('staging', 'pat')).status).toBe(202);
      await promotions.idle();
      expect(await holding('staging')).toContain(main1);

      // ann asks for production at once: everything but the rules it meets waits
      await state.refresh(['app']);
      const asked = await promote('production', 'ann');
      expect(asked.status).toBe(202);
      const { promotion: waiting } = (await asked.json()) as { promotion: Promotion & { gates: Verdict[] } };
      expect(waiting.state).toBe('waiting');
      const outcomes = Object.fromEntries(waiting.gates.map((v) => [v.gate, v.outcome]));
      expect(outcomes).toEqual({
        'main-only': 'pass',
        ticket: 'pass',
        soaked: 'wait',
        'two-admins': 'wait',
        'office hours': 'wait',
      });

      // the requester alone cannot approve; two other admins can
      const own = await decide(waiting.id, 'ann');
      expect(own.gates.find((v) => v.gate === 'two-admins')?.reason).toMatch(/^0 of 2/);
      await decide(waiting.id, 'bob');
      clock.advance(HOUR); // 07:00
      const approved = await decide(waiting.id, 'carl');
      expect(approved.gates.find((v) => v.gate === 'two-admins')?.outcome).toBe('pass');
      expect(approved.state).toBe('waiting');

      // soaked at 08:00; still before the window
      clock.set('2025-12-01T08:30:00Z');
      await promotions.reconsider();
      const beforeWindow = (await s.server.store.getPromotion(waiting.id)) as Promotion;
      expect(beforeWindow.state).toBe('waiting');
      const gatesNow = beforeWindow.gates as unknown as Verdict[];
      expect(gatesNow.filter((v) => v.outcome !== 'pass').map((v) => v.gate)).toEqual(['office hours']);

      // WHEN the window opens THEN it goes by itself: nobody acts
      clock.set('2025-12-01T09:30:00Z');
      await promotions.reconsider();
      await promotions.idle();
      expect((await s.server.store.getPromotion(waiting.id))?.state).toBe('succeeded');
      expect(await holding('production')).toContain(main1);

      // --- a second main build goes all the way by automation (its approvals are its own)
      const main2 = await push(3, 'main', 'SHOP-8 cheaper shipping');
      await reconcile();
      expect(await holding('staging')).toContain(main2);
      // the first pass may have seen staging before main2 landed there: a second one (the next schedule) asks for production
      await reconcile();
      const auto = (await history('production')).find((p) => p.toDigest === main2);
      expect(auto).toMatchObject({ state: 'waiting', trigger: { kind: 'schedule' } });
      await decide(auto?.id as string, 'bob');
      await decide(auto?.id as string, 'carl');
      clock.set('2025-12-01T12:00:00Z');
      await promotions.reconsider();
      await promotions.idle();
      expect(await holding('production')).toContain(main2);

      // --- a rollback in production pins it
      const firstRelease = (await history('production')).find((p) => p.toDigest === main1 && p.state === 'succeeded');
      const rollback = await promote('production', 'ann', { rollbackOf: firstRelease?.id, reason: 'SHOP-8 breaks EU' });
      expect(rollback.status).toBe(202);
      await promotions.idle();
      expect(await holding('production')).toContain(main1);
      const holds = ((await (await api('/api/v1/holds?pipeline=app', { token: t.pat })).json()) as { items: Hold[] })
        .items;
      expect(holds).toEqual([expect.objectContaining({ kind: 'pin', phase: 'production', actor: 'ann' })]);

      // the next registry push moves staging, not the pinned production, even once soaked
      const main3 = await push(4, 'main', 'SHOP-9 fix EU', true);
      await until(async () => ((await holding('staging')).includes(main3) ? true : undefined), 'main3 in staging');
      await promotions.idle();
      clock.set('2025-12-01T15:00:00Z');
      await reconcile();
      expect(await holding('production')).toContain(main1);
      expect((await history('production')).some((p) => p.toDigest === main3)).toBe(false);

      // WHEN unpinned THEN automation takes main3 up at once: it waits only for its own approvals
      const unpinned = await api('/api/v1/pipelines/app/phases/production/pin', { method: 'DELETE', token: t.ann });
      expect(unpinned.status).toBe(200);
      const next = await until(
        async () => (await history('production')).find((p) => p.toDigest === main3),
        'the production request for main3',
      );
      expect(next.state).toBe('waiting');
      expect((next.gates as unknown as Verdict[]).filter((v) => v.outcome !== 'pass').map((v) => v.gate)).toEqual([
        'two-admins',
      ]);
      await decide(next.id, 'bob');
      await decide(next.id, 'carl');
      await promotions.idle();
      expect(await holding('production')).toContain(main3);
    } finally {
      await close?.();
      await registry.stop();
      await tmp.remove();
    }
  }, 120_000);
});
