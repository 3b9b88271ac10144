import { createHash } from 'node:crypto';
import type { NewDeployerEvent } from '@gantry/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from './backends.js';
import { backends } from './backends.js';

const event = (key: string, matched: string[]): NewDeployerEvent => ({
  key,
  deployer: 'flux',
  object: { kind: 'Kustomization', namespace: 'flux-system', name: 'staging' },
  revision: `main@sha1:${'a'.repeat(40)}`,
  commit: 'a'.repeat(40),
  state: 'healthy',
  reason: 'ReconciliationSucceeded',
  message: 'Applied revision',
  occurredAt: '2030-01-01T00:00:00.000Z',
  matched,
});

describe.each(backends)('deployments on $name', (backend) => {
  let fx: Fixture;
  beforeEach(async () => {
    if (backend.available) fx = await backend.setup();
  });
  afterEach(async () => {
    if (backend.available) await fx.cleanup();
  });

  describe.skipIf(!backend.available)('deployer events, deployment and verification', () => {
    it('GIVEN a deployer report WHEN it is delivered twice THEN it is recorded once, and unmatched reports are listed apart', async () => {
      const store = await fx.open();
      // GIVEN / WHEN
      const first = await store.recordDeployerEvent(event('k1', ['app/staging']));
      const again = await store.recordDeployerEvent(event('k1', ['app/staging']));
      await store.recordDeployerEvent(event('k2', []));
      // THEN
      expect(first.fresh).toBe(true);
      expect(again).toEqual({ fresh: false, event: first.event });
      expect((await store.listDeployerEvents({})).items.map((e) => e.key)).toEqual(['k2', 'k1']);
      expect((await store.listDeployerEvents({ unmatched: true })).items.map((e) => e.key)).toEqual(['k2']);
      const page = await store.listDeployerEvents({ limit: 1 });
      expect(page.items.map((e) => e.key)).toEqual(['k2']);
      const next = await store.listDeployerEvents({
        limit: 1,
        ...(page.nextCursor ? { cursor: page.nextCursor } : {}),
      });
      expect(next.items.map((e) => e.key)).toEqual(['k1']);
      await expect(store.listDeployerEvents({ cursor: 'garbage' })).rejects.toMatchObject({ code: 'invalid_cursor' });
    });

    it('GIVEN committed and uncommitted promotions of several phases WHEN many phases are asked for at once THEN each gets what it gets asked alone: its newest committed ones, at most the limit', async () => {
      const store = await fx.open();
      const promote = async (pipeline: string, phase: string, n: number, commit: boolean) => {
        const digest = `sha256:${createHash('sha256').update(`${pipeline}/${phase}/${n}`).digest('hex')}`;
        const p = await store.createPromotion({
          pipeline,
          phase,
          toDigest: digest,
          toVersion: String(n),
          target: { kind: 'oci-image', repository: `r/${pipeline}`, digest },
          trigger: { kind: 'person', actor: 'alice' },
          reason: 'test',
        });
        if (!commit) return p.id;
        await store.claimPromotion(p.id, { owner: 'test' });
        await store.transition(p.id, 'committed', { commitSha: 'c'.repeat(40) });
        await store.transition(p.id, 'pushed');
        await store.transition(p.id, 'succeeded');
        return p.id;
      };
      for (let n = 0; n < 3; n++) await promote('app-0', 'staging', n, true);
      await promote('app-0', 'production', 0, true);
      await promote('app-1', 'staging', 0, true);
      await promote('app-1', 'production', 0, false);
      const phases = ['app-0', 'app-1', 'app-2'].flatMap((pipeline) =>
        ['staging', 'production'].map((phase) => ({ pipeline, phase })),
      );
      // WHEN asked in one turn
      const together = await Promise.all(phases.map((p) => store.committedPromotions(p.pipeline, p.phase, 2)));
      // THEN each answer is the one it gets alone
      const alone = [];
      for (const p of phases) alone.push(await store.committedPromotions(p.pipeline, p.phase, 2));
      expect(together.map((list) => list.map((x) => x.toVersion))).toEqual([['2', '1'], ['0'], ['0'], [], [], []]);
      expect(together).toEqual(alone);
    });

    it('GIVEN a succeeded promotion WHEN deployment and verification are recorded THEN they read back, and an older run cannot overwrite a newer one', async () => {
      const store = await fx.open();
      const digest = `sha256:${createHash('sha256').update('1').digest('hex')}`;
      const p = await store.createPromotion({
        pipeline: 'app',
        phase: 'staging',
        toDigest: digest,
        toVersion: '1',
        target: { kind: 'oci-image', repository: 'r/app', digest },
        trigger: { kind: 'person', actor: 'alice' },
        reason: 'test',
      });
      const claimed = await store.claimPromotion(p.id, { owner: 'test' });
      expect(claimed?.id).toBe(p.id);
      await store.transition(p.id, 'committed', { commitSha: 'c'.repeat(40) });
      await store.transition(p.id, 'pushed');
      await store.transition(p.id, 'succeeded');
      expect((await store.committedPromotions('app', 'staging')).map((x) => x.id)).toEqual([p.id]);
      // WHEN
      const at = '2030-01-01T00:00:00.000Z';
      await store.setDeployment(p.id, { state: 'healthy', at, deployer: 'flux', healthySince: at });
      expect(await store.setVerification(p.id, { state: 'running', at, run: 2 })).toBeDefined();
      await store.recordCheckResult({ promotionId: p.id, run: 2, name: 'http', result: { status: 'passed' } });
      expect((await store.unfinishedVerifications()).map((x) => x.id)).toEqual([p.id]);
      // THEN an older run's verdict is dropped
      expect(await store.setVerification(p.id, { state: 'verified', at, run: 1 })).toBeUndefined();
      const done = await store.setVerification(p.id, { state: 'verified', at, run: 2 });
      expect(done?.verification).toEqual({ state: 'verified', at, run: 2 });
      expect((await store.getPromotion(p.id))?.deployment).toMatchObject({ state: 'healthy', deployer: 'flux' });
      expect(await store.listCheckResults(p.id)).toMatchObject([
        { run: 2, name: 'http', result: { status: 'passed' } },
      ]);
      expect(await store.unfinishedVerifications()).toEqual([]);
    });
  });
});
