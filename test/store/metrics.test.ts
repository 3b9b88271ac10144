import { readDeliveryMetrics } from '@gantry/server';
import type { NewArtifact, Trigger } from '@gantry/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from './backends.js';
import { backends } from './backends.js';
import { digest, H, HOUR, T0, period, seedDeliveryHistory } from './metrics-history.js';

/** The seeded week (its table is in metrics-history.ts); each figure below is worked out by hand from it. */
const seed = (fx: Fixture) => seedDeliveryHistory((now) => fx.open({ now }));

/** A CI report of the seeded version `name` (its digest), committed at `hour`. */
const artifact = (name: string, hour: number, labelled: 'time'[]): NewArtifact => ({
  kind: 'image',
  image: 'registry/shop',
  digest: digest(name),
  source: { commit: 'a'.repeat(40), time: new Date(T0 + hour * H).toISOString() },
  labelled,
  ci: {},
  pipelines: ['shop'],
  verified: true,
  reportedBy: 'ci',
});

/** The verification rule of this test's configuration: blog/live has no deployer and no checks. */
const system = {
  pipelines: [
    {
      name: 'shop',
      phases: [
        { name: 'staging', verify: { checks: [{ kind: 'http' }] } },
        { name: 'production', verify: { checks: [{ kind: 'http' }] } },
      ],
    },
    { name: 'blog', phases: [{ name: 'live' }] },
  ],
} as never;

describe.each(backends)('delivery metrics on $name', (backend) => {
  let fx: Fixture;
  beforeEach(async () => {
    if (backend.available) fx = await backend.setup();
  });
  afterEach(async () => {
    if (backend.available) await fx.cleanup();
  });

  describe.skipIf(!backend.available)('from a seeded week of history', () => {
    it('GIVEN the seeded history WHEN the week is computed THEN every figure is the one worked out by hand', async () => {
      const store = await seed(fx);
      const m = await readDeliveryMetrics(store, system, period);
      expect(m.period).toEqual({
        from: '2025-03-01T00:00:00.000Z',
        to: '2025-03-08T00:00:00.000Z',
        days: 7,
        bucket: 'day',
      });
      expect(m.phases.map((p) => `${p.pipeline}/${p.phase}`)).toEqual(['blog/live', 'shop/production', 'shop/staging']);
      const [blog, production, staging] = m.phases;

      // staging: S1 (0 h, the first instant counts), S2, S3, S4, S5 = 5; S0 is before, S6 at the end (excluded)
      expect(staging?.deploymentFrequency).toEqual({ count: 5, perDay: 5 / 7, perWeek: 5 });
      // lead time, from each version's first promotion in the pipeline (no CI report): landed - first seen
      //   S1 B: 1 - (-1) = 2 h; S3 D: 45 - 40 = 5 h; S4 E: 102 - 100 = 2 h; S5 D: 106 - 40 = 66 h; S2 never verified
      //   sorted [2, 2, 5, 66]: median (2 + 5) / 2 = 3.5 h; p90 = rank ceil(0.9 * 4) = 4 -> 66 h
      expect(staging?.leadTime).toEqual({
        samples: 4,
        medianSeconds: 3.5 * HOUR,
        p90Seconds: 66 * HOUR,
        sources: { artifact: 0, image: 0, 'first-seen': 4 },
      });
      // failures: S2 (verification failed), S4 (degraded, and rolled back by S5 going back to D) = 2 of 5
      expect(staging?.changeFailureRate).toEqual({
        failures: 2,
        deployments: 5,
        rate: 0.4,
        causes: { verification: 1, deployment: 1, rollback: 1 },
      });
      // restore: S2 failed at 33, S3 verified at 45 -> 12 h; S4 failed at 103 (degraded before the
      // rollback at 105), S5 verified at 106 -> 3 h; median (3 + 12) / 2 = 7.5 h
      expect(staging?.timeToRestore).toEqual({ samples: 2, medianSeconds: 7.5 * HOUR, open: 0 });

      // production: P1, P2 = 2 (P3 is after the period)
      expect(production?.deploymentFrequency.count).toBe(2);
      // P1 B: verified 22 - first seen -1 (S1's creation) = 23 h, the only sample
      expect(production?.leadTime).toMatchObject({ samples: 1, medianSeconds: 23 * HOUR, p90Seconds: 23 * HOUR });
      // P2 failed verification at 52; P3, after the period, verified at 172: 120 h
      expect(production?.changeFailureRate).toMatchObject({ failures: 1, deployments: 2, rate: 0.5 });
      expect(production?.timeToRestore).toEqual({ samples: 1, medianSeconds: 120 * HOUR, open: 0 });

      // blog/live verifies nothing: B1 lands when it succeeds, 3 - 2 = 1 h; the failed B2 deployed nothing
      expect(blog?.deploymentFrequency.count).toBe(1);
      expect(blog?.leadTime.medianSeconds).toBe(1 * HOUR);
      expect(blog?.changeFailureRate.rate).toBe(0);

      // total: 5 + 2 + 1 = 8 deployments; failures 2 + 1 = 3 -> 3 / 8 = 0.375
      expect(m.total.deploymentFrequency).toEqual({ count: 8, perDay: 8 / 7, perWeek: 8 });
      expect(m.total.changeFailureRate).toMatchObject({ failures: 3, deployments: 8, rate: 0.375 });
      // lead times [1, 2, 2, 5, 23, 66] h: median (2 + 5) / 2 = 3.5 h; p90 = rank ceil(5.4) = 6 -> 66 h
      expect(m.total.leadTime).toMatchObject({ samples: 6, medianSeconds: 3.5 * HOUR, p90Seconds: 66 * HOUR });
      // restores [12, 3, 120] h: median 12 h
      expect(m.total.timeToRestore).toEqual({ samples: 3, medianSeconds: 12 * HOUR, open: 0 });
      // per day: day 0 S1, B1, P1; day 1 S2, S3; day 2 P2; day 4 S4, S5
      expect(m.total.series.map((s) => s.deployments)).toEqual([3, 2, 1, 0, 2, 0, 0]);
      expect(m.total.series.map((s) => s.failures)).toEqual([0, 1, 1, 0, 1, 0, 0]);
      expect(m.total.series[1]).toMatchObject({ start: '2025-03-02T00:00:00.000Z', leadTimeMedianSeconds: 5 * HOUR });
    });

    it('GIVEN the seeded history WHEN one phase is asked for THEN only its figures, with its series', async () => {
      const store = await seed(fx);
      const m = await readDeliveryMetrics(store, system, {
        ...period,
        pipeline: 'shop',
        phase: 'production',
        seriesPerPhase: true,
      });
      expect(m.phases).toHaveLength(1);
      expect(m.total.deploymentFrequency.count).toBe(2);
      // P1 on day 0, P2 (failed) on day 2
      expect(m.phases[0]?.series?.map((s) => [s.deployments, s.failures])).toEqual([
        [1, 0],
        [0, 0],
        [1, 1],
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ]);
    });

    it('GIVEN the seeded history WHEN a period holds no deployment THEN zeros with the period, not an error', async () => {
      const store = await seed(fx);
      const m = await readDeliveryMetrics(store, undefined, {
        from: new Date('2024-01-01T00:00:00Z'),
        to: new Date('2024-01-08T00:00:00Z'),
      });
      expect(m.period.from).toBe('2024-01-01T00:00:00.000Z');
      expect(m.phases).toEqual([]);
      expect(m.total.deploymentFrequency).toEqual({ count: 0, perDay: 0, perWeek: 0 });
      expect(m.total.changeFailureRate).toMatchObject({ failures: 0, deployments: 0, rate: 0 });
      expect(m.total.leadTime.medianSeconds).toBeNull();
      expect(m.total.timeToRestore.medianSeconds).toBeNull();
    });

    it('GIVEN a period that starts where the last one ended WHEN computed THEN the deployment at the boundary counts there, and a rollback is seen against the version held before the period', async () => {
      const store = await seed(fx);
      // [168 h, 192 h): S6 (succeeded at 168) and P3 (171)
      const next = await readDeliveryMetrics(store, system, {
        from: new Date(T0 + 168 * H),
        to: new Date(T0 + 192 * H),
      });
      expect(next.total.deploymentFrequency.count).toBe(2);
      // [101 h, 102 h): S4 alone; the rollback S5 after the period and S3, before it, tell it failed
      const hour = await readDeliveryMetrics(store, system, {
        from: new Date(T0 + 101 * H),
        to: new Date(T0 + 102 * H),
        pipeline: 'shop',
      });
      expect(hour.total.changeFailureRate).toMatchObject({
        failures: 1,
        deployments: 1,
        causes: { verification: 0, deployment: 1, rollback: 1 },
      });
    });

    it('GIVEN CI reported the commit time of a version WHEN computed THEN its lead time runs from that commit, and says so', async () => {
      const store = await seed(fx);
      // B was committed at -5 h (CI's report); C's time came from the image's labels (-40 h)
      await store.recordArtifact(artifact('B', -5, []));
      await store.recordArtifact(artifact('C', -40, ['time']));
      const m = await readDeliveryMetrics(store, system, { ...period, pipeline: 'shop' });
      const [production, staging] = m.phases;
      // staging: S1 B 1 - (-5) = 6 h (artifact); S3 D 5 h, S4 E 2 h, S5 D 66 h (first seen); C never verified
      //   sorted [2, 5, 6, 66]: median (5 + 6) / 2 = 5.5 h
      expect(staging?.leadTime).toMatchObject({
        samples: 4,
        medianSeconds: 5.5 * HOUR,
        sources: { artifact: 1, image: 0, 'first-seen': 3 },
      });
      // production: P1 B 22 - (-5) = 27 h
      expect(production?.leadTime.medianSeconds).toBe(27 * HOUR);
    });

    it('GIVEN a person rolls a phase back further than the version before WHEN computed THEN the rollback, recorded as one, fails what it replaced', async () => {
      const store = await seed(fx);
      // after the seeded week: staging G at 200 h, then a person's rollback to S1's B at 210 h
      // (B is not what the phase held before G, which was F: only the recorded rollbackOf tells)
      let now = T0 + 199 * H;
      const clocked = await fx.open({ now: () => new Date(now) });
      const b = (await clocked.listPromotions({ pipeline: 'shop', phase: 'staging' })).items.find(
        (p) => p.toVersion === 'B',
      );
      const deploy = async (version: string, hour: number, trigger: Trigger) => {
        now = T0 + hour * H;
        const p = await clocked.createPromotion({
          pipeline: 'shop',
          phase: 'staging',
          toDigest: digest(version),
          toVersion: version,
          target: { kind: 'oci-image', digest: digest(version) },
          trigger,
          reason: 'seeded',
        });
        await clocked.claimPromotion(p.id, { owner: 'seed' });
        await clocked.transition(p.id, 'committed', { commitSha: 'b'.repeat(40) });
        await clocked.transition(p.id, 'pushed');
        await clocked.transition(p.id, 'succeeded');
      };
      await deploy('G', 200, { kind: 'policy', policy: 'auto' });
      await deploy('B', 210, { kind: 'person', actor: 'ann', ...(b ? { rollbackOf: b.id } : {}) });
      const m = await readDeliveryMetrics(store, system, {
        from: new Date(T0 + 190 * H),
        to: new Date(T0 + 205 * H),
        pipeline: 'shop',
        phase: 'staging',
      });
      // G is the period's one deployment; the next one is a recorded rollback: 1 of 1 failed
      expect(m.total.changeFailureRate).toMatchObject({ failures: 1, deployments: 1, causes: { rollback: 1 } });
      // nothing verified after it: the failure is open
      expect(m.total.timeToRestore).toEqual({ samples: 0, medianSeconds: null, open: 1 });
    });

    it('GIVEN a retention WHEN history older than it is purged THEN those promotions go, and each phase keeps its last success', async () => {
      const store = await seed(fx);
      // before 100 h: S0..S3, P1, P2 (and the failed B2) are older; B1 is blog/live's last success and stays
      const purged = await store.purgeHistory(new Date(T0 + 100 * H).toISOString());
      expect(purged.promotions).toBe(7);
      const staging = await store.listPromotions({ pipeline: 'shop', phase: 'staging' });
      expect(staging.items.map((p) => p.toVersion)).toEqual(['F', 'D', 'E']);
      expect((await store.listPromotions({ pipeline: 'blog' })).items.map((p) => p.toVersion)).toEqual(['X']);
    });
  });
});
