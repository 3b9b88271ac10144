import { describe, expect, it } from 'vitest';
import { computeDeliveryMetrics } from './compute.js';
import { isoMs, parseInstant, parseSpan } from './period.js';
import { median, percentile } from './stats.js';
import type { DeploymentRecord, SourceTime } from './types.js';

const T0 = Date.parse('2025-03-01T00:00:00Z');
const H = 3_600_000;
const at = (hours: number) => new Date(T0 + hours * H).toISOString();

let seq = 0;
const dep = (hours: number, digest: string, extra: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
  pipeline: 'app',
  phase: 'production',
  seq: ++seq,
  digest,
  deployedAt: at(hours),
  verification: { state: 'verified', at: at(hours + 1) },
  ...extra,
});

const committedAt =
  (times: Record<string, number>) =>
  (_p: string, digest: string): SourceTime | undefined =>
    times[digest] !== undefined ? { at: at(times[digest] ?? 0), from: 'artifact' } : undefined;

describe('computeDeliveryMetrics', () => {
  it('GIVEN no deployments WHEN computed THEN zeros and null medians with the period', () => {
    const m = computeDeliveryMetrics({
      from: new Date(T0),
      to: new Date(T0 + 7 * 24 * H),
      deployments: [],
      sourceTime: () => undefined,
    });
    expect(m.period).toEqual({ from: at(0), to: at(168), days: 7, bucket: 'day' });
    expect(m.total.deploymentFrequency).toEqual({ count: 0, perDay: 0, perWeek: 0 });
    expect(m.total.leadTime.medianSeconds).toBeNull();
    expect(m.total.changeFailureRate.rate).toBe(0);
    expect(m.total.timeToRestore).toEqual({ samples: 0, medianSeconds: null, open: 0 });
    expect(m.total.series).toHaveLength(7);
    expect(m.phases).toEqual([]);
  });

  it('GIVEN a version that goes back to the one before WHEN computed THEN the one it replaced failed, restored when the rollback verified', () => {
    // a (h0, before the period), b (h10, bad), a again (h12, a rollback by digest), c (h20)
    const history = [dep(-5, 'a'), dep(10, 'b'), dep(12, 'a'), dep(20, 'c')];
    const m = computeDeliveryMetrics({
      from: new Date(T0),
      to: new Date(T0 + 24 * H),
      deployments: history,
      sourceTime: committedAt({ b: 8, a: -10, c: 19 }),
    });
    const [production] = m.phases;
    // 3 deployments in the period (b, a, c) over 1 day
    expect(production?.deploymentFrequency).toEqual({ count: 3, perDay: 3, perWeek: 21 });
    // b failed (rolled back at h12); restored when a verified at h13: 1 h
    expect(production?.changeFailureRate).toMatchObject({ failures: 1, deployments: 3, causes: { rollback: 1 } });
    expect(production?.timeToRestore).toEqual({ samples: 1, medianSeconds: 3600, open: 0 });
    // lead times: b 11-8 = 3 h, a 13-(-10) = 23 h, c 21-19 = 2 h -> median 3 h, p90 (rank 3 of 3) 23 h
    expect(production?.leadTime.medianSeconds).toBe(3 * 3600);
    expect(production?.leadTime.p90Seconds).toBe(23 * 3600);
  });

  it('GIVEN a phase that verifies nothing WHEN computed THEN a deployment lands when it succeeds', () => {
    const m = computeDeliveryMetrics({
      from: new Date(T0),
      to: new Date(T0 + 24 * H),
      deployments: [dep(5, 'x', { verification: undefined })],
      sourceTime: committedAt({ x: 1 }),
      verifies: () => false,
    });
    expect(m.total.leadTime.medianSeconds).toBe(4 * 3600);
  });
});

describe('computeDeliveryMetrics over columns', () => {
  it('GIVEN the history as records and as one phase column by column, out of order WHEN computed THEN the same figures', () => {
    const history = [
      dep(-5, 'a'),
      dep(10, 'b', { verification: { state: 'failed', at: at(11) } }),
      dep(12, 'a', { rollback: true }),
      dep(20, 'c', { deployment: { state: 'degraded', at: at(21) } }),
      dep(30, 'd'),
    ];
    const sources = committedAt({ a: -10, b: 8, c: 19 });
    const period = { from: new Date(T0), to: new Date(T0 + 48 * H), seriesPerPhase: true };
    const fromRecords = computeDeliveryMetrics({ ...period, deployments: history, sourceTime: sources });
    // the store hands the columns over in no promised order
    const shuffled = [history[3], history[0], history[4], history[2], history[1]].flatMap((d) => (d ? [d] : []));
    const fromColumns = computeDeliveryMetrics({
      ...period,
      phases: [
        {
          pipeline: 'app',
          phase: 'production',
          seq: shuffled.map((d) => d.seq),
          digest: shuffled.map((d) => d.digest),
          deployedAt: shuffled.map((d) => d.deployedAt),
          rollback: shuffled.map((d) => (d.rollback ? 1 : 0)),
          deploymentState: shuffled.map((d) => d.deployment?.state ?? null),
          deploymentAt: shuffled.map((d) => d.deployment?.at ?? null),
          verificationState: shuffled.map((d) => d.verification?.state ?? null),
          verificationAt: shuffled.map((d) => d.verification?.at ?? null),
          sourceAt: shuffled.map((d) => sources('app', d.digest)?.at ?? null),
          sourceFrom: shuffled.map((d) => sources('app', d.digest)?.from ?? null),
        },
      ],
    });
    expect(fromColumns).toEqual(fromRecords);
    // b failed verification and was rolled back, c degraded: 2 of 4; c restored when d verified (h31 - h21)
    expect(fromColumns.total.changeFailureRate).toMatchObject({ failures: 2, deployments: 4 });
    expect(fromColumns.total.timeToRestore).toEqual({ samples: 2, medianSeconds: (2 * 3600 + 10 * 3600) / 2, open: 0 });
  });
});

describe('statistics and periods', () => {
  it('GIVEN values WHEN the median and nearest-rank p90 are taken THEN they follow their definitions', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([5], 90)).toBe(5);
  });

  it('GIVEN spans and instants WHEN parsed THEN bad text is a RangeError naming it', () => {
    expect(isoMs('2025-03-01T12:34:56.789Z')).toBe(Date.parse('2025-03-01T12:34:56.789Z'));
    expect(isoMs('2025-03-01T12:34:56+02:00')).toBe(Date.parse('2025-03-01T10:34:56Z'));
    expect(parseSpan('30d')).toBe(30 * 24 * H);
    expect(parseSpan('1w1d')).toBe(8 * 24 * H);
    expect(() => parseSpan('30x')).toThrow(/"30x"/);
    expect(parseInstant('2025-03-01').toISOString()).toBe(at(0));
    expect(() => parseInstant('yesterday')).toThrow(/"yesterday"/);
  });
});
