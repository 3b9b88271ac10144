import { z } from '@hono/zod-openapi';
import { promotionSchema } from './promotion.js';
import { resourceRefSchema, resourceSchema } from './resource.js';

export const planSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('in-sync'), pipeline: z.string(), phase: z.string(), current: resourceRefSchema }),
    z.object({ kind: z.literal('blocked'), pipeline: z.string(), phase: z.string(), reason: z.string() }),
    z.object({
      kind: z.literal('promote'),
      pipeline: z.string(),
      phase: z.string(),
      from: z.string().optional(),
      reason: z.string(),
      target: resourceRefSchema,
      current: resourceRefSchema.optional(),
      diff: z.string(),
      message: z.string(),
      trailers: z.record(z.string(), z.string()),
    }),
  ])
  .openapi('PromotionPlan');

export const promoteBodySchema = z
  .strictObject({
    target: resourceSchema.optional().openapi({
      description:
        "Release this version instead of the upstream one: a resource of the pipeline's kind, from where the pipeline reads versions (e.g. its registry repository), that exists there.",
    }),
    version: z.string().min(1).max(256).optional().openapi({
      description:
        'Release the version known by this name where the phase takes versions from (an image tag, a chart version), resolved there.',
    }),
    digest: z
      .string()
      .regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, 'not a digest (algorithm:hex)')
      .optional()
      .openapi({ description: 'Release the version with this digest, looked up where the phase takes versions from.' }),
    rollbackOf: z.uuid().optional().openapi({ description: 'Roll back to what this earlier promotion wrote.' }),
    reason: z
      .string()
      .max(500)
      .optional()
      .openapi({ description: "Why, in the person's words: the promotion's recorded reason." }),
  })
  .refine((b) => [b.target, b.version, b.digest, b.rollbackOf].filter((x) => x !== undefined).length <= 1, {
    message: 'name at most one of target, version, digest and rollbackOf',
  })
  .openapi('PromoteRequest');

export const promoteResultSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('queued'), promotion: promotionSchema, plan: planSchema }),
    z.object({ kind: z.literal('in-sync'), plan: planSchema }),
  ])
  .openapi('PromoteResult');
