import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The server's Prometheus metrics, on a registry of its own (tests run several servers in one process). */
export interface Metrics {
  readonly registry: Registry;
  readonly promotions: Counter<'pipeline' | 'phase' | 'result'>;
  readonly promotionSeconds: Histogram<'pipeline' | 'phase'>;
  readonly httpSeconds: Histogram<'method' | 'route' | 'status'>;
  readonly webhooks: Counter<'kind' | 'result'>;
  readonly reconciles: Counter<'trigger'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'gantry_' });
  return {
    registry,
    promotions: new Counter({
      name: 'gantry_promotions_total',
      help: 'Promotions finished, by result (succeeded, noop, failed).',
      labelNames: ['pipeline', 'phase', 'result'],
      registers: [registry],
    }),
    promotionSeconds: new Histogram({
      name: 'gantry_promotion_duration_seconds',
      help: 'From claim to settled, per promotion.',
      labelNames: ['pipeline', 'phase'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    httpSeconds: new Histogram({
      name: 'gantry_http_request_duration_seconds',
      help: 'API requests by route and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers: [registry],
    }),
    webhooks: new Counter({
      name: 'gantry_webhooks_total',
      help: 'Webhooks received, by kind and result (accepted, rejected, ignored).',
      labelNames: ['kind', 'result'],
      registers: [registry],
    }),
    reconciles: new Counter({
      name: 'gantry_reconciles_total',
      help: 'Reconciliations of phases, by trigger (schedule, webhook, promotion).',
      labelNames: ['trigger'],
      registers: [registry],
    }),
  };
}
