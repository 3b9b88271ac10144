import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../context.js';
import { ApiError } from '../problem.js';

/** Liveness, readiness and Prometheus metrics: unauthenticated, as probes and scrapers expect. */
export function systemRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    if (!deps.ready()) throw new ApiError('not_ready', 'starting: recovering promotions and reading pipelines');
    return c.json({ status: 'ready', observedAt: deps.state.observedAt?.toISOString() ?? null });
  });
  app.get('/metrics', async (c) =>
    c.body(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType }),
  );
  return app;
}
