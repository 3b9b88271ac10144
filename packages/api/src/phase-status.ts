import { z } from '@hono/zod-openapi';
import { deploymentSchema, verificationSchema } from './deployment.js';
import { promotionSchema, proposalSchema } from './promotion.js';
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
    proposal: z
      .object({
        promotionId: z.uuid(),
        version: z.string().openapi({ description: 'The version it proposes.' }),
        provider: proposalSchema.shape.provider,
        number: z.number().int().positive(),
        url: z.string(),
        checks: proposalSchema.shape.checks,
      })
      .optional()
      .openapi({
        description:
          "The phase's open proposal (a phase with `write: proposal`): the pull or merge request that would bring `version`, while it is open. Absent when none is open.",
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

const oneOrMany = z.union([z.string(), z.array(z.string())]);

/** How `GET /api/v1/pipelines` orders a filtered or paged list. */
export const pipelineSortSchema = z.enum(['name', '-name', 'state', 'change']);

/**
 * Server-side filtering and paging of the pipeline list. Without any of these the whole list
 * is answered as it is observed (with its ETag, gzip), as the dashboard loads it.
 */
export const pipelineListQuery = z.object({
  refresh: z.enum(['true', 'false']).optional().openapi({
    description: 'Re-read the phases from Git and registries before answering (default: the last observation)',
  }),
  q: z.string().max(256).optional().openapi({
    description: 'Case-insensitive substring of the pipeline name or of a label (`key=value`).',
    example: 'payments',
  }),
  label: oneOrMany.optional().openapi({
    description: 'A label the pipeline has: `key=value`, `key!=value` or `key` (present); repeat to require all.',
    example: 'team=payments',
  }),
  state: oneOrMany.optional().openapi({
    description:
      'A phase state: `<phase>:<state>` (e.g. `production:behind`), `!<phase>:<state>` (is not), or `<state>` (any phase); repeat to require all. States: source, in-sync, behind, empty, error.',
    example: 'production:behind',
  }),
  sort: pipelineSortSchema.optional().openapi({
    description:
      '`name` (default), `-name`, `state` (needs attention first: error, behind, empty, in sync), `change` (newest version first); the name breaks ties.',
  }),
  limit: z.coerce.number().int().min(1).max(1000).optional().openapi({ description: 'Pipelines per page (1-1000).' }),
  cursor: z.string().max(2048).optional().openapi({
    description:
      '`nextCursor` of the previous page. Opaque; it names the last pipeline seen, so pipelines changing meanwhile neither repeat nor skip others (a pipeline whose sort key moved may).',
  }),
});

/** The pipeline list as filtered or paged: the matching count and where the next page starts. */
export const pipelinePageSchema = pipelineListSchema
  .extend({
    total: z.number().int().optional().openapi({ description: 'Pipelines matching the filters (all pages).' }),
    nextCursor: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .openapi('PipelinePage');

export type ApiPipelineSort = z.infer<typeof pipelineSortSchema>;
