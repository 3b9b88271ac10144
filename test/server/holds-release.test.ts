import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import type { GantryEvent } from '@gantry/server';
import type { Promotion } from '@gantry/store';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { editSandboxYaml } from '../support/sandbox-yaml.js';
import { sandboxServer } from './sandbox-server.js';

/** The sandbox with staging auto-promoting from the registry, and no schedule: nothing moves by itself. */
async function autoStaging(): Promise<SandboxServer> {
  const tmp = await tempDir('gantry-holds-release-');
  const dir = join(tmp.path, 'sandbox');
  await initSandbox(dir, { yaml: true });
  const yaml = await editSandboxYaml(dir, (text) =>
    text.replace('        promotesFrom: oci\n', '        promotesFrom: oci\n        autoPromote: true\n'),
  );
  expect(yaml).toContain('autoPromote: true');
  return sandboxServer({ tmp });
}

const stagingDigest = async (s: SandboxServer) => {
  const [status] = await s.server.deps.state.refresh(['app']);
  return status?.phases.find((p) => p.phase === 'staging')?.digest;
};

describe('releasing a pin or a pause reconciles the pipeline at once', () => {
  it('GIVEN auto-promoting staging pinned while a newer version waits upstream WHEN the pin is released THEN staging moves right away (no schedule), and each set and release is an event', async () => {
    const s = await autoStaging();
    try {
      const { promotions, bus } = s.server.deps;
      const events: GantryEvent[] = [];
      const unsubscribe = bus.subscribe((e) => events.push(e));
      // GIVEN staging at v1
      await pushSandboxImage(s.dir);
      expect(
        (await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} })).status,
      ).toBe(202);
      await promotions.idle();
      const v1 = await stagingDigest(s);
      // pinned there by a person
      const pinned = await s.api('/api/v1/pipelines/app/phases/staging/pin', {
        method: 'POST',
        json: { reason: 'incident 42' },
      });
      expect(pinned.status).toBe(201);
      // and a newer version in the registry, which a reconcile leaves alone while pinned
      const v2 = await pushSandboxImage(s.dir, new Date(Date.now() + 1000));
      await s.server.deps.reconciler?.reconcile(['app'], { kind: 'webhook', source: 'registry' });
      await promotions.idle();
      expect(await stagingDigest(s)).toBe(v1);

      // WHEN the pin is released
      const released = await s.api('/api/v1/pipelines/app/phases/staging/pin', { method: 'DELETE', json: {} });
      expect(released.status).toBe(200);
      // THEN the release itself requested the auto-promotion: by the time it answered, it is recorded
      const history = (await (await s.api('/api/v1/pipelines/app/phases/staging/history')).json()) as {
        items: Promotion[];
      };
      const moved = history.items[0];
      expect(moved).toMatchObject({ toDigest: v2, trigger: { kind: 'policy', policy: 'unpinned' } });
      await promotions.idle();
      expect(await stagingDigest(s)).toBe(v2);
      expect((await s.api(`/api/v1/promotions/${moved?.id}`)).status).toBe(200);

      // AND the pin's set and release reached the event stream
      const holds = events.flatMap((e) => (e.type === 'hold' ? [e] : []));
      expect(holds.map((e) => [e.change, e.hold.kind, e.hold.phase, e.hold.reason])).toEqual([
        ['set', 'pin', 'staging', 'incident 42'],
        ['released', 'pin', 'staging', 'incident 42'],
      ]);
      expect(holds[1]?.hold.releasedAt).toBeDefined();
      unsubscribe();
    } finally {
      await s.close();
    }
  });

  it('GIVEN the pipeline paused while a newer version waits upstream WHEN it is resumed THEN staging moves right away', async () => {
    const s = await autoStaging();
    try {
      const { promotions } = s.server.deps;
      await pushSandboxImage(s.dir);
      await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
      await promotions.idle();
      const paused = await s.api('/api/v1/pipelines/app/pause', { method: 'POST', json: { reason: 'freeze' } });
      expect(paused.status).toBe(201);
      const v2 = await pushSandboxImage(s.dir, new Date(Date.now() + 1000));
      await s.server.deps.reconciler?.reconcile(['app'], { kind: 'webhook', source: 'registry' });
      await promotions.idle();
      expect(await stagingDigest(s)).not.toBe(v2);

      // WHEN resumed
      expect((await s.api('/api/v1/pipelines/app/pause', { method: 'DELETE', json: {} })).status).toBe(200);
      // THEN
      await promotions.idle();
      expect(await stagingDigest(s)).toBe(v2);
      const [last] = (await s.server.store.listPromotions({ pipeline: 'app', phase: 'staging', limit: 1 })).items;
      expect(last?.trigger).toEqual({ kind: 'policy', policy: 'resumed' });
    } finally {
      await s.close();
    }
  });

  it("GIVEN staging rolled back by a person THEN the pin it sets is an event; promoting the upstream's version by hand releases it, an event too", async () => {
    const s = await autoStaging();
    try {
      const { promotions, bus } = s.server.deps;
      const events: GantryEvent[] = [];
      const unsubscribe = bus.subscribe((e) => events.push(e));
      await pushSandboxImage(s.dir);
      const first = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
      const v1 = ((await first.json()) as { promotion: Promotion }).promotion.id;
      await promotions.idle();
      await pushSandboxImage(s.dir, new Date(Date.now() + 1000));
      await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
      await promotions.idle();
      // WHEN rolled back
      await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: { rollbackOf: v1 } });
      await promotions.idle();
      // AND then moved to the upstream's version by hand
      await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
      await promotions.idle();
      // THEN
      const holds = events.flatMap((e) => (e.type === 'hold' ? [[e.change, e.hold.kind, e.hold.actor]] : []));
      expect(holds).toEqual([
        ['set', 'pin', 'anonymous'],
        ['released', 'pin', 'anonymous'],
      ]);
      unsubscribe();
    } finally {
      await s.close();
    }
  });
});
