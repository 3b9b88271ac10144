import { OpenAPIHono } from '@hono/zod-openapi';
import { routePath } from 'hono/route';
import { authenticate } from './auth.js';
import type { AppEnv, ServerDeps } from './context.js';
import { ApiError, problemResponse } from './problem.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { eventRoutes } from './routes/events.js';
import { meRoutes } from './routes/me.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { promotionRoutes } from './routes/promotions.js';
import { systemRoutes } from './routes/system.js';
import { webhookRoutes } from './routes/webhooks.js';

export const API_VERSION = '/api/v1';

/**
 * The HTTP app. Testable without a port through `app.request()`; every error leaves
 * through one handler as problem+json.
 */
export function createApp(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError(
          'invalid_request',
          result.error.issues.map((i) => `[${i.path.join('.') || '(body)'}] ${i.message}`).join('; '),
          { issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
        );
      }
    },
  });

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const route = routePath(c) || 'unmatched';
    deps.metrics.httpSeconds.observe(
      { method: c.req.method, route, status: String(c.res.status) },
      (performance.now() - started) / 1000,
    );
  });
  app.onError((e, c) => {
    if (!(e instanceof ApiError) && problemResponse(c, e).status >= 500) {
      deps.logger.error({ err: { message: e.message, stack: e.stack }, path: c.req.path }, 'request failed');
    }
    return problemResponse(c, e);
  });
  app.notFound((c) => problemResponse(c, new ApiError('not_found', `no route ${c.req.method} ${c.req.path}`)));

  app.route('/', systemRoutes(deps));
  app.route(API_VERSION, webhookRoutes(deps));
  app.use(`${API_VERSION}/*`, authenticate(deps.store, deps.open));
  app.route(API_VERSION, pipelineRoutes(deps));
  app.route(API_VERSION, promotionRoutes(deps));
  app.route(API_VERSION, eventRoutes(deps));
  app.route(API_VERSION, meRoutes(deps));

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Gantry API',
      version: '1',
      description: 'What runs where, promotions, history. Errors are application/problem+json with a stable code.',
    },
    servers: [{ url: '/' }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  // last: the dashboard answers only paths nothing above did
  app.route('/', dashboardRoutes());
  return app;
}
