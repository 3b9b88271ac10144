import { z } from '@hono/zod-openapi';

/** Path parameters and queries of the API's routes. */

export const pipelineParams = z.object({
  pipeline: z.string().openapi({ param: { name: 'pipeline', in: 'path' }, example: 'app' }),
});

export const phaseParams = pipelineParams.extend({
  phase: z.string().openapi({ param: { name: 'phase', in: 'path' }, example: 'staging' }),
});

export const promotionParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

const limit = z.coerce.number().int().min(1).max(500);

export const historyQuery = z.object({
  phase: z.string().optional(),
  cursor: z.string().optional(),
  limit: limit.optional(),
});

export const planQuery = z
  .object({
    rollbackOf: z.uuid().optional(),
    version: z.string().min(1).max(256).optional().openapi({
      description:
        'Preview a release of this version (tag, chart version), resolved where the phase takes versions from.',
    }),
    digest: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .openapi({ description: 'Preview a release of the version with this digest.' }),
  })
  .refine((q) => [q.rollbackOf, q.version, q.digest].filter((x) => x !== undefined).length <= 1, {
    message: 'name at most one of rollbackOf, version and digest',
  });

/** `?refresh=true` re-reads the sources before answering, as `argocd app get --refresh` does. */
export const refreshQuery = z.object({
  refresh: z.enum(['true', 'false']).optional().openapi({
    description: 'Re-read the phases from Git and registries before answering (default: the last observation)',
  }),
});
