import { phasesOfRecords } from './columns.js';
import { bucketMs, DAY_MS, defaultBucket, isoMs } from './period.js';
import { medianOfSorted, percentileOfSorted, sortedCopy } from './stats.js';
import type {
  DeliveryMetrics,
  Figures,
  MetricsInput,
  PhaseDeployments,
  PhaseMetrics,
  SeriesPoint,
  SourceTimeOrigin,
} from './types.js';

/** What one deployment of the period came to (one shape, no optional fields: 100,000 are made for a fleet's year). */
interface Outcome {
  /** Landed with a known source time: seconds from the source commit. */
  readonly leadSeconds: number | undefined;
  readonly leadFrom: SourceTimeOrigin | undefined;
  readonly failed: boolean;
  readonly verification: boolean;
  readonly deployment: boolean;
  readonly rollback: boolean;
  /** Failed and restored: seconds from the failure to the next verified version. */
  readonly restoreSeconds: number | undefined;
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
    if (o.leadSeconds !== undefined && o.leadFrom !== undefined) {
      this.leads.push(o.leadSeconds);
      this.sources[o.leadFrom]++;
      b?.leads.push(o.leadSeconds);
    }
    if (!o.failed) return;
    this.failures++;
    if (b) b.failures++;
    if (o.verification) this.causes.verification++;
    if (o.deployment) this.causes.deployment++;
    if (o.rollback) this.causes.rollback++;
    if (o.restoreSeconds === undefined) this.open++;
    else {
      this.restores.push(o.restoreSeconds);
      b?.restores.push(o.restoreSeconds);
    }
  }

  figures(days: number): Figures {
    const perDay = days > 0 ? this.count / days : 0;
    const leads = sortedCopy(this.leads);
    return {
      deploymentFrequency: { count: this.count, perDay, perWeek: perDay * 7 },
      leadTime: {
        samples: leads.length,
        medianSeconds: medianOfSorted(leads),
        p90Seconds: percentileOfSorted(leads, 90),
        sources: { ...this.sources },
      },
      changeFailureRate: {
        failures: this.failures,
        deployments: this.count,
        rate: this.count > 0 ? this.failures / this.count : 0,
        causes: { ...this.causes },
      },
      timeToRestore: {
        samples: this.restores.length,
        medianSeconds: medianOfSorted(sortedCopy(this.restores)),
        open: this.open,
      },
    };
  }

  series(from: number, step: number): SeriesPoint[] {
    return this.buckets.map((b, i) => ({
      start: new Date(from + i * step).toISOString(),
      deployments: b.deployments,
      failures: b.failures,
      leadTimeMedianSeconds: medianOfSorted(sortedCopy(b.leads)),
      timeToRestoreMedianSeconds: medianOfSorted(sortedCopy(b.restores)),
    }));
  }
}

const FAILED_DEPLOYMENT = new Set(['failed', 'degraded']);

/**
 * The delivery metrics (DORA) of the period [from, to), per phase and in total, computed from
 * recorded deployments alone (no I/O):
 *
 * - deployment frequency: deployments (promotions that succeeded with a commit) in the period;
 * - lead time for changes: from the source commit (its version's source time) to *landed* in the phase:
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
  const period: Period = { from, to, step };

  const phases = 'phases' in input ? [...input.phases] : phasesOfRecords(input.deployments, input.sourceTime);
  phases.sort((a, b) =>
    a.pipeline < b.pipeline ? -1 : a.pipeline > b.pipeline ? 1 : a.phase < b.phase ? -1 : a.phase > b.phase ? 1 : 0,
  );
  const total = new Tally(bucketCount);
  const out: PhaseMetrics[] = [];
  for (const ph of phases) {
    const tally = new Tally(input.seriesPerPhase ? bucketCount : 0);
    tallyPhase(ph, verifies(ph.pipeline, ph.phase), period, tally, total);
    if (tally.count === 0) continue;
    out.push({
      pipeline: ph.pipeline,
      phase: ph.phase,
      ...tally.figures(days),
      ...(input.seriesPerPhase ? { series: tally.series(from, step) } : {}),
    });
  }
  return {
    period: { from: input.from.toISOString(), to: input.to.toISOString(), days, bucket },
    total: { ...total.figures(days), series: total.series(from, step) },
    phases: out,
  };
}

interface Period {
  readonly from: number;
  readonly to: number;
  readonly step: number;
}

/** Both or neither: a state with its time. */
const has = (state: string | null | undefined, at: string | null | undefined): at is string =>
  state !== null && state !== undefined && at !== null && at !== undefined;

/** Adds the outcome of each of the phase's deployments in the period to its tally and the total. */
function tallyPhase(ph: PhaseDeployments, phaseVerifies: boolean, p: Period, tally: Tally, total: Tally): void {
  const n = ph.seq.length;
  const deployed = new Float64Array(n);
  for (let i = 0; i < n; i++) deployed[i] = isoMs(ph.deployedAt[i] ?? '');
  const order = succession(deployed, ph.seq);
  const at = (k: number) => order[k] ?? 0;
  // when each version landed in the phase: verified there, or (where nothing verifies) succeeded
  const landed = new Float64Array(n).fill(Number.NaN);
  for (let k = 0; k < n; k++) {
    const i = at(k);
    const state = ph.verificationState[i];
    const when = ph.verificationAt[i];
    if (has(state, when)) {
      if (state === 'verified') landed[k] = isoMs(when);
    } else if (!phaseVerifies) landed[k] = deployed[i] ?? Number.NaN;
  }
  // the first version to land after each deployment: what restores a failure of it
  const nextLanded = new Float64Array(n).fill(Number.NaN);
  for (let k = n - 2, next = Number.NaN; k >= 0; k--) {
    const following = landed[k + 1] ?? Number.NaN;
    if (!Number.isNaN(following)) next = following;
    nextLanded[k] = next;
  }
  for (let k = 0; k < n; k++) {
    const i = at(k);
    const t = deployed[i] ?? Number.NaN;
    if (!(t >= p.from && t < p.to)) continue;
    const o = outcome(ph, i, k > 0 ? at(k - 1) : -1, k + 1 < n ? at(k + 1) : -1, landed[k], nextLanded[k], deployed);
    const bucket = Math.floor((t - p.from) / p.step);
    tally.add(o, bucket);
    total.add(o, bucket);
  }
}

/**
 * The indexes in the order the deployments succeeded (a promotion that waited for an approval
 * may run after a newer one), insertion order among those of the same instant.
 */
function succession(deployed: Float64Array, seq: readonly number[]): number[] {
  const order = Array.from({ length: deployed.length }, (_, i) => i);
  const before = (a: number, b: number) => (deployed[a] ?? 0) - (deployed[b] ?? 0) || (seq[a] ?? 0) - (seq[b] ?? 0);
  // a store usually hands them over in this order already
  for (let k = 1; k < order.length; k++) if (before(k - 1, k) > 0) return order.sort(before);
  return order;
}

function outcome(
  ph: PhaseDeployments,
  i: number,
  prev: number,
  next: number,
  landed: number | undefined,
  nextLanded: number | undefined,
  deployed: Float64Array,
): Outcome {
  let leadSeconds: number | undefined;
  let leadFrom: SourceTimeOrigin | undefined;
  const sourceAt = ph.sourceAt[i];
  const sourceFrom = ph.sourceFrom[i];
  if (landed !== undefined && !Number.isNaN(landed) && has(sourceFrom, sourceAt)) {
    // a source clock ahead of Gantry's must not make a negative lead time
    leadSeconds = Math.max(0, landed - isoMs(sourceAt)) / 1000;
    leadFrom = sourceFrom ?? undefined;
  }
  // when the failure was first recorded: the earliest of its causes
  let failedAt = Number.POSITIVE_INFINITY;
  const verificationAt = ph.verificationAt[i];
  const verification = has(ph.verificationState[i], verificationAt) && ph.verificationState[i] === 'failed';
  if (verification && verificationAt) failedAt = Math.min(failedAt, isoMs(verificationAt));
  const deploymentState = ph.deploymentState[i];
  const deploymentAt = ph.deploymentAt[i];
  const deployment = has(deploymentState, deploymentAt) && FAILED_DEPLOYMENT.has(deploymentState ?? '');
  if (deployment && deploymentAt) failedAt = Math.min(failedAt, isoMs(deploymentAt));
  // rolled back: the next deployment says it is a rollback, or goes back to the version before this one
  const digest = ph.digest[i];
  const rollback =
    next >= 0 &&
    ph.digest[next] !== digest &&
    (Boolean(ph.rollback[next]) || (prev >= 0 && ph.digest[next] === ph.digest[prev]));
  if (rollback) failedAt = Math.min(failedAt, deployed[next] ?? Number.POSITIVE_INFINITY);
  const failed = verification || deployment || rollback;
  const restoreSeconds =
    failed && nextLanded !== undefined && !Number.isNaN(nextLanded)
      ? Math.max(0, nextLanded - failedAt) / 1000
      : undefined;
  return { leadSeconds, leadFrom, failed, verification, deployment, rollback, restoreSeconds };
}
