import type { NewPromotion, PromotionChange } from '@gantry/store';
import { openStore } from '@gantry/store';
import { hasPostgres, postgresSchema } from '@gantry/testing';
import { describe, expect, it } from 'vitest';

const request = (phase: string): NewPromotion => ({
  pipeline: 'web',
  phase,
  toDigest: 'sha256:00',
  toVersion: '1.0.0',
  target: { kind: 'oci-image' },
  trigger: { kind: 'policy', policy: 'auto' },
  reason: 'test',
});

describe.skipIf(!(await hasPostgres()))('promotion changes on PostgreSQL', () => {
  it('GIVEN stores in two schemas of one database WHEN both write THEN each listener hears only its own schema', async () => {
    await using a = await postgresSchema();
    await using b = await postgresSchema();
    const storeA = await openStore({ databaseUrl: a.url });
    const storeB = await openStore({ databaseUrl: b.url });
    try {
      const heard: PromotionChange[] = [];
      let wake = () => {};
      await storeA.onPromotionChange((c) => {
        heard.push(c);
        wake();
      });
      await storeB.createPromotion(request('from-b'));
      // NOTIFYs reach a listener in commit order: once A's change is heard, B's would have been.
      await storeA.createPromotion(request('from-a'));
      while (heard.length < 1) await new Promise<void>((r) => (wake = r));
      expect(heard.map((c) => c.phase)).toEqual(['from-a']);
    } finally {
      await storeA.close();
      await storeB.close();
    }
  });
});
