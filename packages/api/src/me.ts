import { z } from '@hono/zod-openapi';

/** viewer < ci < promoter < admin; `ci` may report artifacts but not promote. */
export const roleSchema = z.enum(['viewer', 'ci', 'promoter', 'admin']);

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
