import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from './backends.js';
import { backends } from './backends.js';

const digest = (v: string) => `sha256:${createHash('sha256').update(v).digest('hex')}`;

describe.each(backends)('gates on $name', (backend) => {
  let fx: Fixture;
  beforeEach(async () => {
    if (backend.available) fx = await backend.setup();
  });
  afterEach(async () => {
    if (backend.available) await fx.cleanup();
  });

  describe.skipIf(!backend.available)('approvals, holds and waiting promotions', () => {
    it('GIVEN decisions on two versions WHEN listed for one THEN only that version’s count, in order', async () => {
      const store = await fx.open();
      await store.recordApproval({
        pipeline: 'app',
        phase: 'prod',
        digest: digest('1'),
        actor: 'ann',
        role: 'admin',
        decision: 'approve',
      });
      await store.recordApproval({
        pipeline: 'app',
        phase: 'prod',
        digest: digest('2'),
        actor: 'bob',
        role: 'admin',
        decision: 'approve',
      });
      await store.recordApproval({
        pipeline: 'app',
        phase: 'prod',
        digest: digest('1'),
        actor: 'cat',
        role: 'promoter',
        decision: 'reject',
        comment: 'not on a Friday',
      });
      const list = await store.listApprovals('app', 'prod', digest('1'));
      expect(list.map((a) => [a.actor, a.decision, a.comment])).toEqual([
        ['ann', 'approve', undefined],
        ['cat', 'reject', 'not on a Friday'],
      ]);
    });

    it('GIVEN a pin and a pause WHEN replaced and released THEN one of each kind is in force at a time, and release says who', async () => {
      const store = await fx.open();
      await store.setHold({
        pipeline: 'app',
        phase: 'prod',
        kind: 'pin',
        actor: 'ann',
        reason: 'rollback',
        digest: digest('1'),
      });
      await store.setHold({
        pipeline: 'app',
        phase: 'prod',
        kind: 'pin',
        actor: 'bob',
        reason: 'rollback again',
        digest: digest('0'),
      });
      await store.setHold({ pipeline: 'app', kind: 'pause', actor: 'cat', reason: 'incident' });
      expect((await store.activeHolds('app')).map((h) => [h.kind, h.actor, h.phase ?? '*'])).toEqual([
        ['pin', 'bob', 'prod'],
        ['pause', 'cat', '*'],
      ]);
      const released = await store.releaseHold({ pipeline: 'app', phase: 'prod', kind: 'pin', by: 'dan' });
      expect(released).toMatchObject({ actor: 'bob', releasedBy: 'dan' });
      expect(await store.releaseHold({ pipeline: 'app', phase: 'prod', kind: 'pin', by: 'dan' })).toBeUndefined();
      expect((await store.activeHolds()).map((h) => h.kind)).toEqual(['pause']);
    });

    it('GIVEN a promotion created waiting with verdicts WHEN listed and released THEN it waits, then queues, and a later one supersedes a waiting one', async () => {
      const store = await fx.open();
      const base = {
        pipeline: 'app',
        phase: 'prod',
        target: { kind: 'oci-image', repository: 'r/app', digest: digest('1') },
        trigger: { kind: 'policy' as const, policy: 'auto-promotion' },
        reason: 'test',
      };
      const waiting = await store.createPromotion({
        ...base,
        toDigest: digest('1'),
        toVersion: '1',
        waiting: true,
        gates: [{ gate: 'approval', outcome: 'wait' }],
      });
      expect(waiting).toMatchObject({ state: 'waiting', gates: [{ gate: 'approval', outcome: 'wait' }] });
      expect((await store.waitingPromotions()).map((p) => p.id)).toEqual([waiting.id]);
      expect(await store.claimNextQueued({ owner: 't' })).toBeUndefined();
      await store.setGates(waiting.id, [{ gate: 'approval', outcome: 'pass' }]);
      const queued = await store.transition(waiting.id, 'queued');
      expect(queued).toMatchObject({ state: 'queued', gates: [{ gate: 'approval', outcome: 'pass' }] });
      const other = await store.createPromotion({ ...base, toDigest: digest('2'), toVersion: '2', waiting: true });
      const newer = await store.createPromotion({ ...base, toDigest: digest('3'), toVersion: '3' });
      expect(await store.supersedeQueued('app', 'prod', newer.id)).toEqual([waiting.id, other.id]);
    });
  });
});
