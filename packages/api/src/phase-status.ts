import { z } from '@hono/zod-openapi';
import { deploymentSchema, verificationSchema } from './deployment.js';
import { promotionSchema } from './promotion.js';
import { resourceSchema, revisionSchema } from './resource.js';

/** Where a phase stands relative to its upstreams. */
export const phaseStateSchema = z.enum(['source', 'in-sync', 'behind', 'empty', 'error']);

/** A registry that asked Gantry to wait (HTTP 429 or 503 with `Retry-After`). */
export const registryThrottleSchema = z
  .object({
    registry: z.string(),
    state: z.enum(['rate-limited']),
    until: z.string().openapi({ description: 'When the registry may be asked again (ISO 8601).' }),
  })
  .openapi('RegistryThrottle');

export const phaseWarningSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    stale: z.boolean(),
    observedAt: z.string().optional(),
    registry: registryThrottleSchema.optional(),
  })
  .openapi('PhaseWarning');

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
    warning: phaseWarningSchema.optional().openapi({
      description:
        "Why the state shown may not be current: the latest read of the phase's source failed (`stale`: the state is the last one observed, at `observedAt`), or its registry asked to wait (`registry`) and the read waits or was given up until then.",
    }),
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

export type ApiPhaseWarning = z.infer<typeof phaseWarningSchema>;
export type ApiRegistryThrottle = z.infer<typeof registryThrottleSchema>;
