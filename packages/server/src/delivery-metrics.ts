import type { System } from '@gantry/core';
import { findPhase, findPipeline, hasVerification, NotFoundError } from '@gantry/core';
import type { Bucket, DeliveryMetrics } from '@gantry/metrics';
import { computeDeliveryMetrics, DAY_MS, parseSpan } from '@gantry/metrics';
import type { HistoryStore } from '@gantry/store';

/** Which history: the period [from, to), of one pipeline (or phase), or of every one. */
export interface MetricsScope {
  readonly from: Date;
  readonly to: Date;
  readonly pipeline?: string;
  readonly phase?: string;
  /** A series for each phase too (the dashboard asks for it for one pipeline). */
  readonly seriesPerPhase?: boolean;
  readonly bucket?: Bucket;
}

/**
 * Whether a phase verifies what it receives (a deployer or checks), as the configuration says;
 * a phase no longer configured is taken to verify (its history says what happened).
 */
export function verifiesIn(system: System | undefined): (pipeline: string, phase: string) => boolean {
  if (!system) return () => true;
  const phases = new Map<string, boolean>();
  for (const p of system.pipelines)
    for (const ph of p.phases) phases.set(`${p.name}\u0000${ph.name}`, hasVerification(ph));
  return (pipeline, phase) => phases.get(`${pipeline}\u0000${phase}`) ?? true;
}

/**
 * The delivery metrics of a scope: the store reads the deployments (SQL), `@gantry/metrics`
 * computes (pure). The same for the API, the gauges and the CLI's local mode.
 */
export async function readDeliveryMetrics(
  store: HistoryStore,
  system: System | undefined,
  scope: MetricsScope,
): Promise<DeliveryMetrics> {
  const history = await store.deliveryHistory({
    from: scope.from.toISOString(),
    ...(scope.pipeline !== undefined ? { pipeline: scope.pipeline } : {}),
    ...(scope.phase !== undefined ? { phase: scope.phase } : {}),
  });
  return computeDeliveryMetrics({
    from: scope.from,
    to: scope.to,
    phases: history.phases,
    verifies: verifiesIn(system),
    ...(scope.seriesPerPhase ? { seriesPerPhase: true } : {}),
    ...(scope.bucket ? { bucket: scope.bucket } : {}),
  });
}

/** The default period: the 30 days before `to`. */
export const DEFAULT_METRICS_SPAN_MS = 30 * DAY_MS;

/** [from, to) from what a caller gave: `to` defaults to now, `from` to `to` minus `since` (default 30 days). */
export function resolvePeriod(q: { from?: Date; to?: Date; since?: string }, now: Date): { from: Date; to: Date } {
  const to = q.to ?? now;
  const from =
    q.from ?? new Date(to.getTime() - (q.since !== undefined ? parseSpan(q.since) : DEFAULT_METRICS_SPAN_MS));
  return { from, to };
}

/**
 * Refuses a scope naming what the configuration does not have (NotFoundError with the known
 * names): a pipeline, a phase of it, or (without a pipeline) a phase no pipeline has.
 */
export function checkScope(system: System, pipeline?: string, phase?: string): void {
  if (pipeline !== undefined) {
    const p = findPipeline(system, pipeline);
    if (phase !== undefined) findPhase(p, phase);
    return;
  }
  if (phase === undefined) return;
  const names = [...new Set(system.pipelines.flatMap((p) => p.phases.map((ph) => ph.name)))];
  if (!names.includes(phase)) throw new NotFoundError('phase', phase, names);
}
