import type { Logger, System } from '@gantry/core';
import type { PhaseMetrics } from '@gantry/metrics';
import { DAY_MS } from '@gantry/metrics';
import type { HistoryStore } from '@gantry/store';
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { readDeliveryMetrics } from './delivery-metrics.js';
import type { EventBus } from './events.js';

export interface DeliveryGaugeOptions {
  readonly store: HistoryStore;
  readonly system: System;
  readonly bus: EventBus;
  readonly registry: Registry;
  readonly logger: Logger;
  /** The rolling window the gauges cover (`server.metrics.window`, default 30 days). */
  readonly windowMs?: number;
  /** How long changes of a phase gather before it is computed again (default 2 s). */
  readonly settleMs?: number;
  /** How often the whole fleet is computed again, as the window rolls on (default 1 h). */
  readonly rollMs?: number;
  readonly clock?: () => Date;
}

export interface DeliveryGauges {
  /** Resolves once the first whole-fleet computation is in the gauges. */
  readonly ready: Promise<void>;
  /** Computes the phases changed so far now, instead of after `settleMs` (tests). */
  flush(): Promise<void>;
  /** Stops listening and rolling; resolves once a computation under way is done. */
  close(): Promise<void>;
}

type Labels = 'pipeline' | 'phase';

/**
 * Prometheus gauges of the delivery metrics per pipeline and phase over a rolling window. A
 * scrape reads what is set: the fleet is computed once at start and then every `rollMs`, and a
 * phase again a moment after one of its promotions succeeds or its deployment or verification
 * changes (changes within `settleMs` are computed together, each phase with one scoped query).
 */
export function startDeliveryGauges(o: DeliveryGaugeOptions): DeliveryGauges {
  const windowMs = o.windowMs ?? 30 * DAY_MS;
  const now = o.clock ?? (() => new Date());
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [o.registry] });
  const frequency = gauge<Labels>(
    'gantry_deployment_frequency',
    'Deployments (promotions that succeeded with a commit) per day over the window.',
    ['pipeline', 'phase'],
  );
  const deployments = gauge<Labels>('gantry_deployments', 'Deployments in the window.', ['pipeline', 'phase']);
  const leadTime = gauge<Labels | 'quantile'>(
    'gantry_lead_time_seconds',
    'Lead time for changes (source commit to verified in the phase) over the window, by quantile (0.5, 0.9).',
    ['pipeline', 'phase', 'quantile'],
  );
  const failureRate = gauge<Labels>(
    'gantry_change_failure_rate',
    'Share of the deployments in the window that failed verification, degraded or were rolled back.',
    ['pipeline', 'phase'],
  );
  const restore = gauge<Labels>(
    'gantry_time_to_restore_seconds',
    'Median time from a failure to the next verified version in the phase, over the window.',
    ['pipeline', 'phase'],
  );
  gauge('gantry_delivery_metrics_window_seconds', 'The rolling window the delivery metrics cover.', []).set(
    windowMs / 1000,
  );
  const all = [frequency, deployments, leadTime, failureRate, restore] as const;
  const shown = new Set<string>();
  const key = (pipeline: string, phase: string) => `${pipeline}\u0000${phase}`;

  const forget = (pipeline: string, phase: string) => {
    for (const g of all) {
      if (g === leadTime) {
        leadTime.remove({ pipeline, phase, quantile: '0.5' });
        leadTime.remove({ pipeline, phase, quantile: '0.9' });
      } else (g as Gauge<Labels>).remove({ pipeline, phase });
    }
    shown.delete(key(pipeline, phase));
  };
  const show = (m: PhaseMetrics) => {
    const l = { pipeline: m.pipeline, phase: m.phase };
    frequency.set(l, m.deploymentFrequency.perDay);
    deployments.set(l, m.deploymentFrequency.count);
    failureRate.set(l, m.changeFailureRate.rate);
    // no sample, no value: a 0 s lead time or restore would read as a perfect one
    const setOrRemove = (g: Gauge<string>, labels: Record<string, string>, v: number | null) =>
      v === null ? g.remove(labels) : g.set(labels, v);
    setOrRemove(leadTime, { ...l, quantile: '0.5' }, m.leadTime.medianSeconds);
    setOrRemove(leadTime, { ...l, quantile: '0.9' }, m.leadTime.p90Seconds);
    setOrRemove(restore, l, m.timeToRestore.medianSeconds);
    shown.add(key(m.pipeline, m.phase));
  };
  const window = () => {
    const to = now();
    return { from: new Date(to.getTime() - windowMs), to };
  };

  const computeFleet = async () => {
    const m = await readDeliveryMetrics(o.store, o.system, window());
    const seen = new Set(m.phases.map((p) => key(p.pipeline, p.phase)));
    for (const k of [...shown]) {
      if (seen.has(k)) continue;
      const [pipeline = '', phase = ''] = k.split('\u0000');
      forget(pipeline, phase);
    }
    for (const p of m.phases) show(p);
  };
  const computePhase = async (pipeline: string, phase: string) => {
    const m = await readDeliveryMetrics(o.store, o.system, { ...window(), pipeline, phase });
    const p = m.phases[0];
    if (p) show(p);
    else forget(pipeline, phase);
  };

  const dirty = new Map<string, { pipeline: string; phase: string }>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const phases = [...dirty.values()];
    dirty.clear();
    running = running.then(async () => {
      for (const ph of phases)
        await computePhase(ph.pipeline, ph.phase).catch((e: unknown) =>
          o.logger.warn({ ...ph, err: String(e) }, 'delivery metrics of a phase could not be computed'),
        );
    });
    return running;
  };
  const unsubscribe = o.bus.subscribe((event) => {
    if (event.type !== 'promotion') return;
    const p = event.promotion;
    // what changes the figures: a success, and then the deployer's and the checks' word on it
    if (p.state !== 'succeeded') return;
    dirty.set(key(p.pipeline, p.phase), { pipeline: p.pipeline, phase: p.phase });
    timer ??= setTimeout(() => void flush(), o.settleMs ?? 2000);
    timer.unref?.();
  });
  const fleet = () =>
    (running = running.then(() =>
      computeFleet().catch((e: unknown) => o.logger.warn({ err: String(e) }, 'delivery metrics could not be computed')),
    ));
  const ready = fleet();
  const roll = setInterval(() => void fleet(), o.rollMs ?? 3_600_000);
  roll.unref?.();
  return {
    ready,
    flush,
    close() {
      unsubscribe();
      clearInterval(roll);
      if (timer) clearTimeout(timer);
      dirty.clear();
      return running;
    },
  };
}
