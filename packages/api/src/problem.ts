import { z } from '@hono/zod-openapi';

/**
 * RFC 9457 problem details: the one shape every API error takes. `code` is a string, not an
 * enum, so that a client reads a code a newer server added; the server documents the codes
 * it knows (`documentedProblemSchema` in the server's routes).
 */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  code: z.string().openapi({ description: 'Stable error code; docs/api.md lists each with its status.' }),
  detail: z.string(),
  known: z.array(z.string()).optional().openapi({ description: 'The known names, for an unknown one.' }),
  field: z.string().optional().openapi({ description: 'The request field at fault, e.g. `target.digest`.' }),
  issues: z.array(z.object({ path: z.string(), message: z.string() }).loose()).optional(),
});
