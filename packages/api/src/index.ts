export { checkResultEntrySchema, checkResultSchema, checkResultsSchema } from './checks.js';
export {
  deployerEventSchema,
  deployerEventsQuery,
  deployerEventsSchema,
  deployerRefSchema,
} from './deployer-events.js';
export {
  deploymentSchema,
  deploymentStateSchema,
  verificationSchema,
  verificationStateSchema,
} from './deployment.js';
export { meSchema, roleSchema } from './me.js';
export {
  historyQuery,
  phaseParams,
  pipelineParams,
  planQuery,
  promotionParams,
  refreshQuery,
} from './params.js';
export {
  phaseDetailSchema,
  phaseStateSchema,
  phaseStatusSchema,
  pipelineListQuery,
  pipelineListSchema,
  pipelinePageSchema,
  pipelineSortSchema,
  pipelineStatusSchema,
} from './phase-status.js';
export type { ApiPipelineSort } from './phase-status.js';
export { planSchema, promoteBodySchema, promoteResultSchema } from './plan.js';
export { problemSchema } from './problem.js';
export {
  historySchema,
  promotionDetailSchema,
  promotionEventSchema,
  promotionSchema,
  promotionStateSchema,
  proposalSchema,
  triggerSchema,
} from './promotion.js';
export { resourceRefSchema, resourceSchema, revisionSchema } from './resource.js';
export type {
  ApiCheckResult,
  ApiCheckResultEntry,
  ApiCheckResults,
  ApiDeployerEvent,
  ApiDeployerEvents,
  ApiDeployerRef,
  ApiDeployment,
  ApiDeploymentState,
  ApiEvent,
  ApiHistory,
  ApiMe,
  ApiPhaseDetail,
  ApiPhaseStatus,
  ApiPipelineList,
  ApiPipelineListQuery,
  ApiPipelinePage,
  ApiPipelineStatus,
  ApiPlan,
  ApiProblem,
  ApiPromoteBody,
  ApiPromoteResult,
  ApiPromotion,
  ApiProposal,
  ApiPromotionDetail,
  ApiRole,
  ApiTrigger,
  ApiVerification,
  ApiVerificationState,
} from './types.js';
export type {
  ApiDecisionBody,
  ApiHold,
  ApiHoldList,
  ApiPauseBody,
  ApiPinBody,
  ApiReleaseBody,
  ApiWhy,
} from './gates.js';
export {
  decisionBodySchema,
  holdListSchema,
  holdSchema,
  holdsQuery,
  pauseBodySchema,
  pauseQuery,
  pinBodySchema,
  releaseBodySchema,
  whyQuery,
  whySchema,
} from './gates.js';
export type { ApiGateOverride, ApiOverrideBody, ApiOverrideList, ApiOverrideResult } from './overrides.js';
export {
  gateOverrideSchema,
  gateParams,
  overrideBodySchema,
  overrideListSchema,
  overrideResultSchema,
} from './overrides.js';
export type { ApiPhaseWarning, ApiRegistryThrottle } from './phase-status.js';
export { phaseWarningSchema, registryThrottleSchema } from './phase-status.js';
export type {
  ApiArtifact,
  ApiArtifactEvent,
  ApiArtifactList,
  ApiArtifactReport,
  ApiArtifactReportResult,
  ApiArtifactStepReport,
} from './artifacts.js';
export {
  artifactEventSchema,
  artifactListSchema,
  artifactParams,
  artifactReportResultSchema,
  artifactReportSchema,
  artifactSchema,
  artifactStepBodySchema,
  artifactStepStatusSchema,
  artifactsQuery,
} from './artifacts.js';
export type {
  ApiApprovalEntry,
  ApiGateKind,
  ApiGateOutcome,
  ApiGatesSummary,
  ApiGateVerdict,
  ApiGateVerdictOf,
} from './gate-verdicts.js';
export {
  approvalEntrySchema,
  approvalEvidenceSchema,
  branchEvidenceSchema,
  commitEvidenceSchema,
  gateOutcomeSchema,
  gatesSummarySchema,
  gateVerdictSchema,
  signatureEvidenceSchema,
  soakEvidenceSchema,
  windowEvidenceSchema,
} from './gate-verdicts.js';
export type { ApiDeliveryMetrics, ApiMetricsQuery, ApiMetricsSeriesPoint, ApiPhaseMetrics } from './metrics.js';
export { deliveryMetricsSchema, metricsQuery, phaseMetricsSchema, seriesPointSchema } from './metrics.js';
export type { ApiChain, ApiChainLink, ApiChainLinkState, ApiLinks } from './chain.js';
export { chainLinkSchema, chainLinkStateSchema, chainQuery, chainSchema, linksSchema } from './chain.js';
export type { ApiLineage, ApiLineageCell, ApiLineageStay, ApiLineageVersion, ApiReleaseSpec } from './lineage.js';
export {
  lineageCellSchema,
  lineageQuery,
  lineageSchema,
  lineageStaySchema,
  lineageVersionSchema,
  releaseSpecSchema,
} from './lineage.js';
