import type { Duration } from '@gantry/core';
import { OpenAPIHono } from '@hono/zod-openapi';
import { routePath } from 'hono/route';
import { authenticate } from './auth.js';
import type { AppEnv, ServerDeps } from './context.js';
import {
  bodyLimits,
  closeUnreadOnError,
  DEFAULT_API_MAX_BODY_BYTES,
  DEFAULT_WEBHOOK_MAX_BODY_BYTES,
  hostGuard,
  requestOriginGuard,
} from './http-guard.js';
import { createOpenMode } from './open-mode.js';
import { ApiError, problemResponse } from './problem.js';
import { artifactRoutes } from './routes/artifacts.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { deployerEventRoutes } from './routes/deployer-events.js';
import { eventRoutes } from './routes/events.js';
import { meRoutes } from './routes/me.js';
import { metricsRoutes } from './routes/metrics.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { provenanceRoutes } from './routes/provenance.js';
import { promotionRoutes } from './routes/promotions.js';
import { systemRoutes } from './routes/system.js';
import { gateRoutes } from './routes/gates.js';
import { holdRoutes } from './routes/holds.js';
import { overrideRoutes } from './routes/overrides.js';
import { verificationRoutes } from './routes/verification.js';
import type { DeployerSecrets } from './routes/deployer-webhooks.js';
import { deployerWebhookRoutes } from './routes/deployer-webhooks.js';
import { webhookPrecheck, webhookRoutes } from './routes/webhooks.js';

export const API_VERSION = '/api/v1';

/** Limits and intervals of the HTTP edge; every field has a default. */
export interface AppOptions {
  /** Largest API request body, in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Largest webhook body, in bytes: `server.webhooks.maxBodyBytes` (default 5 MiB). */
  readonly webhookMaxBodyBytes?: number;
  /** How long webhook delivery ids are remembered to recognise replays (default 24 h). */
  readonly replayWindow?: Duration;
  /** How stale open mode's look at the tokens may be (default 500 ms). */
  readonly openModeRecheck?: Duration;
  /** Secrets of Flux and Argo CD reports (`server.webhooks.flux` / `.argocd`); without one, that deployer is refused. */
  readonly deployers?: DeployerSecrets;
  /** Receive time of deployer reports (tests set it). */
  readonly clock?: () => Date;
}

const DAY: Duration = { ms: 24 * 60 * 60 * 1000 };

/**
 * The HTTP app. Testable without a port through `app.request()`; every error leaves
 * through one handler as problem+json.
 */
export function createApp(given: ServerDeps, options: AppOptions = {}): OpenAPIHono<AppEnv> {
  const mode = createOpenMode({
    store: given.store,
    open: given.open,
    logger: given.logger,
    ...(options.openModeRecheck ? { recheck: options.openModeRecheck } : {}),
  });
  // the routes see open mode as it is now, not as it was at start (GET /me reports it)
  const deps: ServerDeps = Object.defineProperty({ ...given }, 'open', { get: () => mode.open, enumerable: true });
  const isWebhook = (path: string) => path.startsWith(`${API_VERSION}/webhooks/`);
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
  // refusals before any route: Host (open mode), cross-site requests, unsigned webhooks, then
  // the body limit, so that nothing refused on its headers has its body read
  app.use('*', closeUnreadOnError);
  app.use('*', hostGuard(mode));
  app.use('*', requestOriginGuard({ isWebhook }));
  app.use(`${API_VERSION}/webhooks/*`, webhookPrecheck(deps));
  app.use(
    '*',
    bodyLimits({
      api: options.maxBodyBytes ?? DEFAULT_API_MAX_BODY_BYTES,
      webhooks: options.webhookMaxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES,
      isWebhook,
    }),
  );
  app.onError((e, c) => {
    if (!(e instanceof ApiError) && problemResponse(c, e).status >= 500) {
      deps.logger.error({ err: { message: e.message, stack: e.stack }, path: c.req.path }, 'request failed');
    }
    return problemResponse(c, e);
  });
  app.notFound((c) => problemResponse(c, new ApiError('not_found', `no route ${c.req.method} ${c.req.path}`)));

  app.route('/', systemRoutes(deps));
  app.route(API_VERSION, webhookRoutes(deps, { replayWindow: options.replayWindow ?? DAY }));
  app.route(API_VERSION, deployerWebhookRoutes(deps, options.deployers ?? {}, options.clock ?? (() => new Date())));
  app.use(`${API_VERSION}/*`, authenticate(deps.store, mode));
  app.route(API_VERSION, pipelineRoutes(deps));
  app.route(API_VERSION, promotionRoutes(deps));
  app.route(API_VERSION, verificationRoutes(deps));
  app.route(API_VERSION, gateRoutes(deps));
  app.route(API_VERSION, holdRoutes(deps));
  app.route(API_VERSION, overrideRoutes(deps));
  app.route(API_VERSION, deployerEventRoutes(deps));
  app.route(API_VERSION, eventRoutes(deps));
  app.route(API_VERSION, meRoutes(deps));
  app.route(API_VERSION, artifactRoutes(deps));
  app.route(API_VERSION, metricsRoutes(deps));
  app.route(API_VERSION, provenanceRoutes(deps));

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
