import type { z } from '@hono/zod-openapi';
import type { checkResultEntrySchema, checkResultSchema, checkResultsSchema } from './checks.js';
import type { deployerEventSchema, deployerEventsSchema, deployerRefSchema } from './deployer-events.js';
import type {
  deploymentSchema,
  deploymentStateSchema,
  verificationSchema,
  verificationStateSchema,
} from './deployment.js';
import type { meSchema, roleSchema } from './me.js';
import type {
  phaseDetailSchema,
  phaseStatusSchema,
  pipelineListQuery,
  pipelineListSchema,
  pipelinePageSchema,
  pipelineStatusSchema,
} from './phase-status.js';
import type { planSchema, promoteBodySchema, promoteResultSchema } from './plan.js';
import type { ApiHold } from './gates.js';
import type { ApiArtifactEvent } from './artifacts.js';
import type { problemSchema } from './problem.js';
import type { historySchema, promotionDetailSchema, promotionSchema, triggerSchema } from './promotion.js';

/** The API's JSON shapes, derived from the schemas that validate and document them. */
export type ApiPipelineList = z.infer<typeof pipelineListSchema>;
/** A filtered or paged list: the matching pipelines of one page, their count, where the next page starts. */
export type ApiPipelinePage = z.infer<typeof pipelinePageSchema>;
/** `GET /api/v1/pipelines` with a filter, sort, limit or cursor (`refresh` aside). */
export type ApiPipelineListQuery = Omit<z.input<typeof pipelineListQuery>, 'refresh'>;
export type ApiPipelineStatus = z.infer<typeof pipelineStatusSchema>;
export type ApiPhaseStatus = z.infer<typeof phaseStatusSchema>;
export type ApiPhaseDetail = z.infer<typeof phaseDetailSchema>;
export type ApiPlan = z.infer<typeof planSchema>;
export type ApiPromoteBody = z.input<typeof promoteBodySchema>;
export type ApiPromoteResult = z.infer<typeof promoteResultSchema>;
export type ApiPromotion = z.infer<typeof promotionSchema>;
export type ApiProposal = NonNullable<ApiPromotion['proposal']>;
export type ApiPromotionDetail = z.infer<typeof promotionDetailSchema>;
export type ApiTrigger = z.infer<typeof triggerSchema>;
export type ApiHistory = z.infer<typeof historySchema>;
export type ApiProblem = z.infer<typeof problemSchema>;
export type ApiDeployment = z.infer<typeof deploymentSchema>;
export type ApiDeploymentState = z.infer<typeof deploymentStateSchema>;
export type ApiVerification = z.infer<typeof verificationSchema>;
export type ApiVerificationState = z.infer<typeof verificationStateSchema>;
export type ApiRole = z.infer<typeof roleSchema>;
export type ApiMe = z.infer<typeof meSchema>;
export type ApiCheckResult = z.infer<typeof checkResultSchema>;
export type ApiCheckResultEntry = z.infer<typeof checkResultEntrySchema>;
export type ApiCheckResults = z.infer<typeof checkResultsSchema>;
export type ApiDeployerRef = z.infer<typeof deployerRefSchema>;
export type ApiDeployerEvent = z.infer<typeof deployerEventSchema>;
export type ApiDeployerEvents = z.infer<typeof deployerEventsSchema>;

/**
 * An event of /api/v1/events (Server-Sent Events, the event name is `type`). `hold`: a pin or
 * pause was set (it replaces any earlier one of its kind on the same phase or pipeline) or released.
 * `artifact`: CI reported an artifact or a step of its run, or the registry's late answer changed it.
 */
export type ApiEvent =
  | { readonly type: 'promotion'; readonly promotion: ApiPromotion }
  | { readonly type: 'phase'; readonly status: ApiPhaseStatus }
  | { readonly type: 'hold'; readonly hold: ApiHold; readonly change: 'set' | 'released' }
  | ApiArtifactEvent;
