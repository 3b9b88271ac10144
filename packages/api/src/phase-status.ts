import { z } from '@hono/zod-openapi';
import { deploymentSchema, verificationSchema } from './deployment.js';
import { promotionSchema } from './promotion.js';
import { resourceSchema, revisionSchema } from './resource.js';

/** Where a phase stands relative to its upstreams. */
export const phaseStateSchema = z.enum(['source', 'in-sync', 'behind', 'empty', 'error']);

export const phaseStatusSchema = z
  .object({
    pipeline: z.string(),
    phase: z.string(),
    labels: z.record(z.string(), z.string()),
    source: z.string(),
    writable: z.boolean(),
    state: phaseStateSchema,
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
    promotionId: z.uuid().optional().openapi({
      description:
        'The promotion that brought the current version (the newest succeeded one to its digest); absent when the version did not come through a promotion.',
    }),
    deployment: deploymentSchema.optional().openapi({
      description:
        "What the phase's deployer reports for the current version; `pending` (since the promotion succeeded) until it reports. Absent when the phase names no deployer or the version did not come through a promotion.",
    }),
    verification: verificationSchema.optional().openapi({
      description:
        "The current version's verification in this phase; `pending` (run 0) until it starts. Absent when the phase has no verification or the version did not come through a promotion.",
    }),
  })
  .openapi('PhaseStatus');

export const pipelineStatusSchema = z
  .object({ pipeline: z.string(), labels: z.record(z.string(), z.string()), phases: z.array(phaseStatusSchema) })
  .openapi('PipelineStatus');

export const pipelineListSchema = z
  .object({ pipelines: z.array(pipelineStatusSchema), observedAt: z.string().nullable() })
  .openapi('PipelineList');

export const phaseDetailSchema = z
  .object({ status: phaseStatusSchema.nullable(), lastPromotion: promotionSchema.nullable() })
  .openapi('PhaseDetail');
