import { milliseconds } from '@gantry/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from './backends.js';
import { backends } from './backends.js';

const DAY = milliseconds(24 * 60 * 60 * 1000);

/** A clock the test moves by hand. */
function manualClock(start = '2030-01-01T00:00:00.000Z') {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

describe.each(backends)('webhook deliveries on $name', (backend) => {
  let fx: Fixture;
  beforeEach(async () => {
    if (backend.available) fx = await backend.setup();
  });
  afterEach(async () => {
    if (backend.available) await fx.cleanup();
  });

  describe.skipIf(!backend.available)('remembering delivery ids', () => {
    it('GIVEN an id was remembered WHEN it comes again THEN it is seen, and new ids beside it are fresh', async () => {
      const store = await fx.open();
      // GIVEN
      expect(await store.rememberDeliveries(['github:a'], DAY)).toEqual({ fresh: ['github:a'], seen: [] });
      // WHEN
      const again = await store.rememberDeliveries(['github:a', 'registry:b', 'registry:b'], DAY);
      // THEN
      expect(again).toEqual({ fresh: ['registry:b'], seen: ['github:a'] });
      expect(await store.countDeliveries()).toBe(2);
    });

    it('GIVEN ids older than the retention WHEN anything is remembered THEN they are pruned and count as fresh again', async () => {
      const clock = manualClock();
      const store = await fx.open({ now: clock.now });
      // GIVEN
      await store.rememberDeliveries(['gitlab:old-1', 'gitlab:old-2'], DAY);
      clock.advance(DAY.ms - 1);
      await store.rememberDeliveries(['gitlab:young'], DAY);
      // WHEN a day and a moment have passed since the old ones
      clock.advance(2);
      const check = await store.rememberDeliveries([], DAY);
      // THEN
      expect(check).toEqual({ fresh: [], seen: [] });
      expect(await store.countDeliveries()).toBe(1);
      expect(await store.rememberDeliveries(['gitlab:old-1', 'gitlab:young'], DAY)).toEqual({
        fresh: ['gitlab:old-1'],
        seen: ['gitlab:young'],
      });
    });

    it('GIVEN several stores on one database WHEN they remember the same id at once THEN exactly one sees it fresh', async () => {
      // GIVEN: on PostgreSQL separate pools, as replicas would be; SQLite serves one process
      const stores = fx.replicas ? await Promise.all([1, 2, 3, 4].map(() => fx.open())) : [await fx.open()];
      const callers = Array.from({ length: 8 }, (_, i) => stores[i % stores.length]);
      // WHEN
      const checks = await Promise.all(callers.map((s) => s?.rememberDeliveries(['registry:same'], DAY)));
      // THEN
      expect(checks.filter((c) => c?.fresh.length === 1)).toHaveLength(1);
      expect(checks.filter((c) => c?.seen.length === 1)).toHaveLength(7);
    });

    it('GIVEN an empty or oversized id WHEN remembered THEN it is ignored, not stored', async () => {
      const store = await fx.open();
      expect(await store.rememberDeliveries(['', `github:${'x'.repeat(300)}`], DAY)).toEqual({ fresh: [], seen: [] });
      expect(await store.countDeliveries()).toBe(0);
    });
  });
});
