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
    rollbackOf: z.uuid().optional().openapi({ description: 'Roll back to what this earlier promotion wrote.' }),
    reason: z
      .string()
      .max(500)
      .optional()
      .openapi({ description: "Why, in the person's words: the promotion's recorded reason." }),
  })
  .openapi('PromoteRequest');

export const promoteResultSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('queued'), promotion: promotionSchema, plan: planSchema }),
    z.object({ kind: z.literal('in-sync'), plan: planSchema }),
  ])
  .openapi('PromoteResult');
