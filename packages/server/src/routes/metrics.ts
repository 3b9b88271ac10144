import { deliveryMetricsSchema, metricsQuery } from '@gantry/api';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, ServerDeps } from '../context.js';
import { checkScope, readDeliveryMetrics, resolvePeriod } from '../delivery-metrics.js';
import { ApiError } from '../problem.js';
import { json, problem } from './responses.js';

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['metrics'],
  summary:
    'Delivery metrics (DORA) of a period, per pipeline and phase and in total: deployment frequency, lead time for changes, change failure rate, time to restore',
  request: { query: metricsQuery },
  responses: {
    200: json(
      deliveryMetricsSchema,
      'The figures of the period [from, to) with a series per day or week; a period without deployments gives zeros',
    ),
    400: problem('A malformed `from`, `to`, `since` or `bucket`, or a period that ends before it starts (named)'),
    404: problem('Unknown pipeline or phase (the known names are listed)'),
  },
});

export function metricsRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(metricsRoute, async (c) => {
    const q = c.req.valid('query');
    checkScope(deps.engine.system, q.pipeline, q.phase);
    const period = resolvePeriod(q, new Date());
    if (period.to.getTime() <= period.from.getTime())
      throw new ApiError('invalid_request', `[to] the period must end after it starts (${period.from.toISOString()})`, {
        field: 'to',
      });
    const metrics = await readDeliveryMetrics(deps.store, deps.engine.system, {
      ...period,
      ...(q.pipeline !== undefined ? { pipeline: q.pipeline, seriesPerPhase: true } : {}),
      ...(q.phase !== undefined ? { phase: q.phase } : {}),
      ...(q.bucket !== undefined ? { bucket: q.bucket } : {}),
    });
    // the computation's result is the contract's JSON (metrics-contract.test-d.ts proves it)
    return c.json(metrics as never, 200);
  });
  return app;
}
