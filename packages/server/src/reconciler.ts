import type { Duration, Logger, Phase, PhaseStatus, Pipeline, PipelineStatus, System } from '@gantry/core';
import { findPhase, findPipeline, GantryError, hasVerification } from '@gantry/core';
import type { Trigger } from '@gantry/store';
import type { Metrics } from './metrics.js';
import type { PromotionService } from './promotion-service.js';
import type { WarnedPhaseStatus } from './stale-phases.js';
import type { StateCache } from './state-cache.js';

/**
 * Reconciling a pipeline: read its phases again, then promote every auto-promoting phase
 * that is behind. Requests arriving close together (a burst of webhooks, a schedule tick
 * during a webhook) coalesce into one reconcile per pipeline.
 */
export interface Reconciler {
  /** Queues pipelines for a reconcile soon; returns when that reconcile is done. */
  request(pipelines: readonly string[], trigger: Trigger): Promise<void>;
  /** Reconciles now, without coalescing. */
  reconcile(pipelines: readonly string[], trigger: Trigger): Promise<PipelineStatus[]>;
  /** How many reconciles ran (for tests of coalescing). */
  readonly runs: number;
  /** Drops what is gathered but not started (its callers' promises resolve) and waits for running reconciles. */
  stop(): Promise<void>;
}

export interface ReconcilerOptions {
  readonly system: System;
  readonly state: StateCache;
  readonly promotions: PromotionService;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** How long to gather requests before reconciling (default 15 ms). */
  readonly coalesceMs?: number;
  /** Back-off before each retry of pipelines whose auto-promotion failed (default 1 s, 5 s, 30 s). */
  readonly retryDelays?: readonly Duration[];
  /**
   * Whether `digest` is verified in the phase (its promotion there passed verification).
   * Auto-promotion takes only versions verified upstream, where the upstream has verification.
   */
  readonly isVerified?: (pipeline: string, phase: string, digest: string) => Promise<boolean>;
}

const triggerLabel = (t: Trigger) => t.kind;

const isStale = (s: PhaseStatus | undefined) => (s as WarnedPhaseStatus | undefined)?.warning?.stale === true;

const DEFAULT_RETRY_DELAYS: readonly Duration[] = [{ ms: 1000 }, { ms: 5000 }, { ms: 30_000 }];

export function createReconciler(o: ReconcilerOptions): Reconciler {
  const pending = new Map<string, Trigger>();
  let waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let runs = 0;
  let stopped = false;
  const inFlight = new Set<Promise<unknown>>();
  const retryTimers = new Set<ReturnType<typeof setTimeout>>();

  /** Every upstream with verification holds a version verified there (fan-in: all of them). */
  async function upstreamsVerified(
    pipeline: Pipeline,
    phase: Phase,
    observed: readonly PhaseStatus[],
  ): Promise<boolean> {
    for (const name of phase.promotesFrom) {
      const upstream = findPhase(pipeline, name);
      if (!hasVerification(upstream) || !o.isVerified) continue;
      const digest = observed.find((s) => s.phase === name)?.digest;
      if (!digest || !(await o.isVerified(pipeline.name, name, digest))) return false;
    }
    return true;
  }

  /**
   * Reads the pipelines and requests every auto-promotion that is due. One phase's failure
   * (a remote down, a database busy) neither stops the others nor is forgotten: the pipelines
   * that failed are returned, for the caller to try again.
   */
  async function reconcileEach(
    pipelines: readonly string[],
    trigger: Trigger,
  ): Promise<{ statuses: PipelineStatus[]; failed: string[] }> {
    runs++;
    o.metrics.reconciles.inc({ trigger: triggerLabel(trigger) });
    const statuses = await o.state.refresh(pipelines);
    const failed = new Set<string>();
    for (const p of statuses) {
      const pipeline = findPipeline(o.system, p.pipeline);
      for (const ph of p.phases) {
        if (ph.state !== 'behind' || !ph.writable) continue;
        const phase = findPhase(pipeline, ph.phase);
        if (!phase.autoPromote) continue;
        // an upstream shown as last observed (its registry rate-limits) is no news to act on
        if (phase.promotesFrom.some((up) => isStale(p.phases.find((s) => s.phase === up)))) continue;
        try {
          if (!(await upstreamsVerified(pipeline, phase, p.phases))) continue;
          await o.promotions.request({ pipeline: p.pipeline, phase: ph.phase, trigger, reason: 'auto-promotion' });
        } catch (e) {
          // blocked (fan-in disagreement, nothing upstream) is a normal outcome of a reconcile
          if (e instanceof GantryError && e.code === 'promotion_blocked') continue;
          o.logger.warn({ pipeline: p.pipeline, phase: ph.phase, err: (e as Error).message }, 'auto-promotion failed');
          failed.add(p.pipeline);
        }
      }
    }
    return { statuses, failed: [...failed] };
  }

  async function reconcile(pipelines: readonly string[], trigger: Trigger): Promise<PipelineStatus[]> {
    const { statuses, failed } = await reconcileEach(pipelines, trigger);
    if (failed.length > 0) retry(failed, trigger, 0);
    return statuses;
  }

  /** Tries the failed pipelines again with back-off (a webhook's news is not lost to one failure). */
  function retry(pipelines: readonly string[], trigger: Trigger, attempt: number): void {
    const delays = o.retryDelays ?? DEFAULT_RETRY_DELAYS;
    const delay = delays[attempt];
    if (stopped || delay === undefined) {
      if (delay === undefined)
        o.logger.warn({ pipelines, attempts: attempt }, 'auto-promotion still failing; waiting for the next trigger');
      return;
    }
    const t = setTimeout(() => {
      retryTimers.delete(t);
      const run = reconcileEach(pipelines, trigger).then(
        ({ failed }) => {
          if (failed.length > 0) retry(failed, trigger, attempt + 1);
        },
        () => retry(pipelines, trigger, attempt + 1),
      );
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
    }, delay.ms);
    t.unref();
    retryTimers.add(t);
  }

  function flush(): void {
    timer = undefined;
    const batch = [...pending];
    pending.clear();
    const done = waiters;
    waiters = [];
    // one reconcile per trigger kind keeps the recorded trigger honest; pipelines are deduplicated
    const byTrigger = new Map<string, { trigger: Trigger; pipelines: string[] }>();
    for (const [pipeline, trigger] of batch) {
      const key = JSON.stringify(trigger);
      const entry = byTrigger.get(key) ?? { trigger, pipelines: [] };
      entry.pipelines.push(pipeline);
      byTrigger.set(key, entry);
    }
    const run = Promise.all([...byTrigger.values()].map((e) => reconcile(e.pipelines, e.trigger))).then(
      () => {
        for (const w of done) w.resolve();
      },
      (e: unknown) => {
        o.logger.warn({ err: (e as Error).message }, 'reconcile failed');
        for (const w of done) w.reject(e);
      },
    );
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  }

  return {
    request(pipelines, trigger) {
      if (stopped) return Promise.resolve();
      for (const p of pipelines) pending.set(p, trigger);
      timer ??= setTimeout(flush, o.coalesceMs ?? 15);
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    reconcile,
    get runs() {
      return runs;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const t of retryTimers) clearTimeout(t);
      retryTimers.clear();
      timer = undefined;
      pending.clear();
      for (const w of waiters) w.resolve();
      waiters = [];
      await Promise.allSettled([...inFlight]);
    },
  };
}
