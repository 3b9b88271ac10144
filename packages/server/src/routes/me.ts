import { meSchema } from '@gantry/api';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, ServerDeps } from '../context.js';
import { json, problem } from './responses.js';

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['system'],
  summary: 'The caller: token name, role, and the per-phase promotion rules',
  responses: {
    200: json(meSchema, 'The caller'),
    401: problem('No or bad token'),
  },
});

export function meRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(meRoute, (c) => {
    const principal = c.get('principal');
    return c.json(
      {
        name: principal.name,
        role: principal.role,
        open: deps.open,
        permissions: deps.permissions.map((r) => ({ pipeline: r.pipeline, phase: r.phase, role: r.role })),
      },
      200,
    );
  });
  return app;
}
