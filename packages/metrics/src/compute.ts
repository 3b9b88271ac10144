import { bucketMs, DAY_MS, defaultBucket, isoMs } from './period.js';
import { median, percentile } from './stats.js';
import type {
  DeliveryMetrics,
  DeploymentRecord,
  Figures,
  MetricsInput,
  PhaseMetrics,
  SeriesPoint,
  SourceTimeOrigin,
} from './types.js';

/** What one deployment of the period came to. */
interface Outcome {
  readonly leadSeconds?: number;
  readonly leadFrom?: SourceTimeOrigin;
  readonly failed: boolean;
  readonly causes: { verification: boolean; deployment: boolean; rollback: boolean };
  /** Failed and restored: seconds from the failure to the next verified version. */
  readonly restoreSeconds?: number;
}

/** Sums of one phase, or of the total, with a series when asked for. */
class Tally {
  count = 0;
  readonly leads: number[] = [];
  readonly sources: Record<SourceTimeOrigin, number> = { artifact: 0, image: 0, 'first-seen': 0 };
  failures = 0;
  readonly causes = { verification: 0, deployment: 0, rollback: 0 };
  readonly restores: number[] = [];
  open = 0;
  readonly buckets: { deployments: number; failures: number; leads: number[]; restores: number[] }[];

  constructor(buckets: number) {
    this.buckets = Array.from({ length: buckets }, () => ({ deployments: 0, failures: 0, leads: [], restores: [] }));
  }

  add(o: Outcome, bucket: number): void {
    this.count++;
    const b = this.buckets[bucket];
    if (b) b.deployments++;
    if (o.leadSeconds !== undefined && o.leadFrom) {
      this.leads.push(o.leadSeconds);
      this.sources[o.leadFrom]++;
      b?.leads.push(o.leadSeconds);
    }
    if (!o.failed) return;
    this.failures++;
    if (b) b.failures++;
    if (o.causes.verification) this.causes.verification++;
    if (o.causes.deployment) this.causes.deployment++;
    if (o.causes.rollback) this.causes.rollback++;
    if (o.restoreSeconds === undefined) this.open++;
    else {
      this.restores.push(o.restoreSeconds);
      b?.restores.push(o.restoreSeconds);
    }
  }

  figures(days: number): Figures {
    const perDay = days > 0 ? this.count / days : 0;
    return {
      deploymentFrequency: { count: this.count, perDay, perWeek: perDay * 7 },
      leadTime: {
        samples: this.leads.length,
        medianSeconds: median(this.leads),
        p90Seconds: percentile(this.leads, 90),
        sources: { ...this.sources },
      },
      changeFailureRate: {
        failures: this.failures,
        deployments: this.count,
        rate: this.count > 0 ? this.failures / this.count : 0,
        causes: { ...this.causes },
      },
      timeToRestore: { samples: this.restores.length, medianSeconds: median(this.restores), open: this.open },
    };
  }

  series(from: number, step: number): SeriesPoint[] {
    return this.buckets.map((b, i) => ({
      start: new Date(from + i * step).toISOString(),
      deployments: b.deployments,
      failures: b.failures,
      leadTimeMedianSeconds: median(b.leads),
      timeToRestoreMedianSeconds: median(b.restores),
    }));
  }
}

const FAILED_DEPLOYMENT = new Set(['failed', 'degraded']);

/**
 * The delivery metrics (DORA) of the period [from, to), per phase and in total, computed from
 * recorded deployments alone (no I/O):
 *
 * - deployment frequency: deployments (promotions that succeeded with a commit) in the period;
 * - lead time for changes: from the source commit (`sourceTime`) to *landed* in the phase:
 *   verified there, or succeeded where the phase verifies nothing; median and p90;
 * - change failure rate: deployments that failed verification, that the deployer reported
 *   failed or degraded, or that the phase's next deployment rolled back (explicitly, or by
 *   going back to the version the phase held before), over deployments;
 * - time to restore: from when a failure was recorded (the failed verification, the deployer's
 *   report, or the rollback) to the next version that landed in the phase; median.
 *
 * Each deployment counts in the bucket (and period) it was made in; what follows it (a
 * rollback, a restore) may come after the period. A period without deployments gives zeros
 * and `null` medians. Throws a RangeError when `to` is not after `from`.
 */
export function computeDeliveryMetrics(input: MetricsInput): DeliveryMetrics {
  const from = input.from.getTime();
  const to = input.to.getTime();
  if (!(to > from)) throw new RangeError('the period must end after it starts');
  const bucket = input.bucket ?? defaultBucket(input.from, input.to);
  const step = bucketMs(bucket);
  const bucketCount = Math.ceil((to - from) / step);
  const days = (to - from) / DAY_MS;
  const verifies = input.verifies ?? (() => true);

  const byPhase = new Map<string, DeploymentRecord[]>();
  for (const d of input.deployments) {
    const key = `${d.pipeline}\u0000${d.phase}`;
    const list = byPhase.get(key);
    if (list) list.push(d);
    else byPhase.set(key, [d]);
  }

  const total = new Tally(bucketCount);
  const phases: PhaseMetrics[] = [];
  for (const key of [...byPhase.keys()].sort()) {
    // in the order they succeeded (a promotion that waited for an approval may run after a newer one)
    const list = (byPhase.get(key) ?? []).sort((a, b) =>
      a.deployedAt < b.deployedAt ? -1 : a.deployedAt > b.deployedAt ? 1 : a.seq - b.seq,
    );
    const first = list[0];
    if (!first) continue;
    const phaseVerifies = verifies(first.pipeline, first.phase);
    const landed = list.map((d) => landedAt(d, phaseVerifies));
    // the first version to land after each deployment: what restores a failure of it
    const nextLanded = new Array<number | undefined>(list.length);
    for (let i = list.length - 2, next: number | undefined; i >= 0; i--) {
      next = landed[i + 1] ?? next;
      nextLanded[i] = next;
    }
    const tally = new Tally(input.seriesPerPhase ? bucketCount : 0);
    list.forEach((d, i) => {
      const t = isoMs(d.deployedAt);
      if (t < from || t >= to) return;
      const o = outcome(d, list[i - 1], list[i + 1], landed[i], nextLanded[i], input.sourceTime);
      const bucket = Math.floor((t - from) / step);
      tally.add(o, bucket);
      total.add(o, bucket);
    });
    if (tally.count === 0) continue;
    phases.push({
      pipeline: first.pipeline,
      phase: first.phase,
      ...tally.figures(days),
      ...(input.seriesPerPhase ? { series: tally.series(from, step) } : {}),
    });
  }
  return {
    period: { from: input.from.toISOString(), to: input.to.toISOString(), days, bucket },
    total: { ...total.figures(days), series: total.series(from, step) },
    phases,
  };
}

/** When the version landed in the phase: verified there, or (where nothing verifies) succeeded. */
function landedAt(d: DeploymentRecord, phaseVerifies: boolean): number | undefined {
  if (d.verification?.state === 'verified') return isoMs(d.verification.at);
  if (!phaseVerifies && d.verification === undefined) return isoMs(d.deployedAt);
  return undefined;
}

function outcome(
  d: DeploymentRecord,
  prev: DeploymentRecord | undefined,
  next: DeploymentRecord | undefined,
  landed: number | undefined,
  nextLanded: number | undefined,
  sourceTime: MetricsInput['sourceTime'],
): Outcome {
  let leadSeconds: number | undefined;
  let leadFrom: SourceTimeOrigin | undefined;
  if (landed !== undefined) {
    const source = sourceTime(d.pipeline, d.digest);
    if (source) {
      // a source clock ahead of Gantry's must not make a negative lead time
      leadSeconds = Math.max(0, landed - isoMs(source.at)) / 1000;
      leadFrom = source.from;
    }
  }
  // when the failure was first recorded: the earliest of its causes
  let failedAt = Number.POSITIVE_INFINITY;
  const verification = d.verification?.state === 'failed';
  if (verification && d.verification) failedAt = Math.min(failedAt, isoMs(d.verification.at));
  const deployment = d.deployment !== undefined && FAILED_DEPLOYMENT.has(d.deployment.state);
  if (deployment && d.deployment) failedAt = Math.min(failedAt, isoMs(d.deployment.at));
  // rolled back: the next deployment says it is a rollback, or goes back to the version before this one
  const rollback =
    next !== undefined &&
    next.digest !== d.digest &&
    (next.rollback === true || (prev !== undefined && next.digest === prev.digest));
  if (rollback && next) failedAt = Math.min(failedAt, isoMs(next.deployedAt));
  const failed = verification || deployment || rollback;
  const restoreSeconds = failed && nextLanded !== undefined ? Math.max(0, nextLanded - failedAt) / 1000 : undefined;
  return {
    ...(leadSeconds !== undefined ? { leadSeconds, leadFrom } : {}),
    failed,
    causes: { verification, deployment, rollback },
    ...(restoreSeconds !== undefined ? { restoreSeconds } : {}),
  };
}
