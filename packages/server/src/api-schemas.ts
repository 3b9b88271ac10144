import { ERROR_CODES } from '@gantry/core';
import { z } from '@hono/zod-openapi';
import { promotionSchema, promotionWithEventsSchema, triggerSchema } from '@gantry/store';

/**
 * The API's bodies, as zod schemas: requests are validated by them, and the OpenAPI
 * document at /api/openapi.json is generated from them.
 */

export const resourceSchema = z.looseObject({ kind: z.string() }).openapi('Resource', {
  description: 'A resource as JSON; its fields depend on kind (oci-image, helm-chart, git-commit, bundle).',
});

const revisionSchema = z
  .object({
    id: z.string(),
    time: z.string().optional(),
    author: z.string().optional(),
    message: z.string().optional(),
    url: z.string().optional(),
    trailers: z.record(z.string(), z.string()).optional(),
  })
  .openapi('Revision');

export const phaseStatusSchema = z
  .object({
    pipeline: z.string(),
    phase: z.string(),
    labels: z.record(z.string(), z.string()),
    source: z.string(),
    writable: z.boolean(),
    state: z.enum(['source', 'in-sync', 'behind', 'empty', 'error']),
    resource: resourceSchema.optional(),
    digest: z.string().optional(),
    version: z.string().optional(),
    setBy: revisionSchema.optional(),
    age: z.object({ ms: z.number() }).optional(),
    upstreams: z.array(
      z.object({
        phase: z.string(),
        digest: z.string().optional(),
        version: z.string().optional(),
        inSync: z.boolean(),
      }),
    ),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .openapi('PhaseStatus');

export const pipelineStatusSchema = z
  .object({ pipeline: z.string(), labels: z.record(z.string(), z.string()), phases: z.array(phaseStatusSchema) })
  .openapi('PipelineStatus');

export const pipelineListSchema = z
  .object({ pipelines: z.array(pipelineStatusSchema), observedAt: z.string().nullable() })
  .openapi('PipelineList');

const resourceRefSchema = z.object({ resource: resourceSchema, digest: z.string(), version: z.string() });

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

// rebuilt from their shapes: the store's schemas may be created before zod learns `.openapi()`
export const promotionApiSchema = z.object(promotionSchema.shape).openapi('Promotion');
export const promotionDetailSchema = z.object(promotionWithEventsSchema.shape).openapi('PromotionDetail');

export const phaseDetailSchema = z
  .object({ status: phaseStatusSchema.nullable(), lastPromotion: promotionApiSchema.nullable() })
  .openapi('PhaseDetail');

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
    z.object({ kind: z.literal('queued'), promotion: promotionApiSchema, plan: planSchema }),
    z.object({ kind: z.literal('in-sync'), plan: planSchema }),
  ])
  .openapi('PromoteResult');

export const historySchema = z
  .object({ items: z.array(promotionApiSchema), nextCursor: z.string().optional() })
  .openapi('History');

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    // a string, not an enum: a client must read a code a newer server added
    code: z.string().openapi({
      enum: Object.keys(ERROR_CODES),
      description: 'Stable error code; docs/api.md lists each with its status.',
    }),
    detail: z.string(),
    known: z.array(z.string()).optional().openapi({ description: 'The known names, for an unknown one.' }),
    field: z.string().optional().openapi({ description: 'The request field at fault, e.g. `target.digest`.' }),
    issues: z.array(z.object({ path: z.string(), message: z.string() }).loose()).optional(),
  })
  .openapi('Problem');

export const triggerApiSchema = triggerSchema;

export const pipelineParams = z.object({
  pipeline: z.string().openapi({ param: { name: 'pipeline', in: 'path' }, example: 'app' }),
});
export const phaseParams = pipelineParams.extend({
  phase: z.string().openapi({ param: { name: 'phase', in: 'path' }, example: 'staging' }),
});
export const historyQuery = z.object({
  phase: z.string().optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export const planQuery = z.object({ rollbackOf: z.uuid().optional() });

/** `?refresh=true` re-reads the sources before answering, as `argocd app get --refresh` does. */
export const refreshQuery = z.object({
  refresh: z.enum(['true', 'false']).optional().openapi({
    description: 'Re-read the phases from Git and registries before answering (default: the last observation)',
  }),
});
