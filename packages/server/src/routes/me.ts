import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { problemSchema } from '../api-schemas.js';
import type { AppEnv, ServerDeps } from '../context.js';

const roleSchema = z.enum(['viewer', 'promoter', 'admin']);

/** Who the caller is and the rules that decide what they may promote: the dashboard disables what they may not. */
export const meSchema = z
  .object({
    name: z.string(),
    role: roleSchema,
    open: z.boolean().openapi({ description: 'No token exists: everyone is admin (loopback only).' }),
    permissions: z.array(z.object({ pipeline: z.string(), phase: z.string(), role: roleSchema })).openapi({
      description: 'server.permissions: the first rule matching a phase names the least role to promote it.',
    }),
  })
  .openapi('Me');

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['system'],
  summary: 'The caller: token name, role, and the per-phase promotion rules',
  responses: {
    200: { content: { 'application/json': { schema: meSchema } }, description: 'The caller' },
    401: { content: { 'application/problem+json': { schema: problemSchema } }, description: 'No or bad token' },
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
