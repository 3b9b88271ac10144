import { pushSandboxImage } from '@gantry/cli';
import { describe, expect, it } from 'vitest';
import { sandboxServer } from './sandbox-server.js';

describe('pins and pauses hold automation back', () => {
  it('GIVEN staging rolled back by a person WHEN automation asks to move it THEN the pin refuses, naming who pinned it; once released, automation moves it', async () => {
    const s = await sandboxServer({ serverYaml: 'server:\n  schedules: []\n' });
    try {
      const { promotions } = s.server.deps;
      // GIVEN staging at v2, then rolled back to v1 by alice
      await pushSandboxImage(s.dir);
      const first = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
      const v1 = ((await first.json()) as { promotion: { id: string } }).promotion.id;
      await promotions.idle();
      await pushSandboxImage(s.dir);
      await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
      await promotions.idle();
      const rollback = await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
        method: 'POST',
        json: { rollbackOf: v1, reason: 'v2 broke checkout' },
      });
      expect(rollback.status).toBe(202);
      await promotions.idle();
      const [pin] = await s.server.store.activeHolds('app');
      expect(pin).toMatchObject({ kind: 'pin', phase: 'staging', reason: expect.stringContaining('rollback') });

      // WHEN a policy asks to move staging to the upstream's newer version
      const auto = promotions.request({
        pipeline: 'app',
        phase: 'staging',
        trigger: { kind: 'policy', policy: 'auto-promotion' },
      });
      // THEN the pin refuses it, saying who pinned it and how to release it
      await expect(auto).rejects.toMatchObject({
        code: 'promotion_blocked',
        message: expect.stringContaining('pinned'),
      });

      // WHEN someone releases the pin
      await s.server.store.releaseHold({ pipeline: 'app', phase: 'staging', kind: 'pin', by: 'bob' });
      // THEN automation moves it again
      const moved = await promotions.request({
        pipeline: 'app',
        phase: 'staging',
        trigger: { kind: 'policy', policy: 'auto-promotion' },
      });
      expect(moved.kind).toBe('queued');
      await promotions.idle();

      // AND a pause of the whole pipeline holds every phase of it
      await s.server.store.setHold({ pipeline: 'app', kind: 'pause', actor: 'carol', reason: 'incident 42' });
      await pushSandboxImage(s.dir);
      await expect(
        promotions.request({ pipeline: 'app', phase: 'staging', trigger: { kind: 'schedule', schedule: 'every 1m' } }),
      ).rejects.toMatchObject({ message: expect.stringContaining('paused by carol (incident 42)') });
      // while a person may still promote by hand
      const byHand = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
      expect(byHand.status).toBe(202);
    } finally {
      await s.close();
    }
  });
});
