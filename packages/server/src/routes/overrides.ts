import { gateParams, overrideBodySchema, overrideListSchema, overrideResultSchema, phaseParams } from '@gantry/api';
import { findPhase, findPipeline } from '@gantry/core';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { requireRole } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { namingHook } from './naming-hook.js';
import { json, problem } from './responses.js';

const overrideRoute = createRoute({
  method: 'post',
  path: '/pipelines/{pipeline}/phases/{phase}/gates/{gate}/override',
  tags: ['gates'],
  summary:
    "Override a phase's window gate (a closed window or a freeze) with a reason, for one version or any: admins only",
  request: {
    params: gateParams,
    body: { content: { 'application/json': { schema: overrideBodySchema } }, required: true },
  },
  responses: {
    201: json(overrideResultSchema, "The override, and the phase's waiting promotions as their gates now judge them"),
    400: problem('No reason (`field: "reason"`), an expiry already past, or a malformed digest'),
    403: problem('The token is not an admin'),
    404: problem('Unknown pipeline or phase; `unknown_gate` (with `known`): no window gate of that name'),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/pipelines/{pipeline}/phases/{phase}/gates/overrides',
  tags: ['gates'],
  summary: 'The overrides of the phase in force now (not expired), oldest first',
  request: { params: phaseParams },
  responses: {
    200: json(overrideListSchema, 'Overrides in force'),
    404: problem('Unknown pipeline or phase'),
  },
});

/**
 * Admins override window gates (`gantry override`): recorded with who and why, in the audit
 * log, and on the verdict's evidence; the phase's waiting promotions are judged again at once.
 */
export function overrideRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    overrideRoute,
    async (c) => {
      const { pipeline, phase, gate } = c.req.valid('param');
      const body = c.req.valid('json');
      findPhase(findPipeline(deps.engine.system, pipeline), phase);
      const principal = c.get('principal');
      requireRole(principal, 'admin', `overriding gate "${gate}" of ${pipeline}/${phase}`);
      const { override, promotions } = await deps.promotions.override({
        pipeline,
        phase,
        gate,
        actor: principal.name,
        role: principal.role,
        reason: body.reason,
        ...(body.digest ? { digest: body.digest } : {}),
        ...(body.version ? { version: body.version } : {}),
        ...(body.expiresAt ? { expiresAt: body.expiresAt } : {}),
      });
      await deps.store.recordAudit({
        actor: principal.name,
        action: 'override',
        subject: `${pipeline}/${phase}`,
        detail: {
          override: override.id,
          gate,
          reason: override.reason,
          ...(override.digest ? { digest: override.digest } : { digest: 'any' }),
          ...(override.version ? { version: override.version } : {}),
          ...(override.expiresAt ? { expiresAt: override.expiresAt } : {}),
          promotions: promotions.map((p) => ({ id: p.id, state: p.state })),
        },
      });
      return c.json({ override, promotions } as never, 201);
    },
    namingHook,
  );

  app.openapi(listRoute, async (c) => {
    const { pipeline, phase } = c.req.valid('param');
    findPhase(findPipeline(deps.engine.system, pipeline), phase);
    const items = await deps.store.listOverrides({
      pipeline,
      phase,
      activeAt: (deps.clock ?? (() => new Date()))().toISOString(),
    });
    return c.json({ items } as never, 200);
  });

  return app;
}
