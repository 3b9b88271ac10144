export type { AppOptions } from './app.js';
export { API_VERSION, createApp } from './app.js';
export type { PermissionRule, Principal, Role } from './auth.js';
export { roleAtLeast, roleToPromote } from './auth.js';
export type { AppEnv, ServerDeps } from './context.js';
export type { EventBus, GantryEvent } from './events.js';
export { createEventBus } from './events.js';
export type { Metrics } from './metrics.js';
export { createMetrics } from './metrics.js';
export type { Problem } from './problem.js';
export { toProblem } from './problem.js';
export type { PromotionRequest, PromotionService, RequestOutcome } from './promotion-service.js';
export type { Reconciler } from './reconciler.js';
export type { Schedule } from './scheduler.js';
export { selectPhases } from './selector.js';
export type { RunningServer, StartServerOptions } from './server.js';
export { claimSqliteServer, StoreInUseError } from './serve-lock.js';
export { startServer } from './server.js';
export type { StateCache } from './state-cache.js';
export { signBody, verifySignature } from './webhooks/signature.js';
export type {
  ApiEvent,
  ApiHistory,
  ApiPhaseDetail,
  ApiPhaseStatus,
  ApiPipelineList,
  ApiPipelineStatus,
  ApiPlan,
  ApiProblem,
  ApiPromoteBody,
  ApiPromoteResult,
  ApiPromotion,
  ApiPromotionDetail,
} from './api-types.js';
export type { ImageSource, SourceLabelKeys } from './image-provenance.js';
export { DEFAULT_SOURCE_LABELS, sourceOfLabels } from './image-provenance.js';
export type { SourceQuery, SourceSupplier } from './source-facts.js';
export { imageLabelSupplier, mergeSourceFacts, runtimeSourceFacts, sourceFacts } from './source-facts.js';
export type { ArtifactReports, ArtifactReportsDeps } from './artifact-reports.js';
export { createArtifactReports, noBranchBuild, runtimeArtifactReports } from './artifact-reports.js';
export { artifactSupplier, factsOfArtifact } from './artifact-facts.js';
export type { MetricsScope } from './delivery-metrics.js';
export {
  checkScope,
  DEFAULT_METRICS_SPAN_MS,
  readDeliveryMetrics,
  resolvePeriod,
  verifiesIn,
} from './delivery-metrics.js';
export type { StateCacheOptions } from './state-cache.js';
export { createStateCache } from './state-cache.js';
export type { PhaseWarning, RegistryThrottle, WarnedPhaseStatus } from './stale-phases.js';
export type { ReadPool } from './read-pool.js';
export { createReadPool, DEFAULT_READS_PER_GROUP, sourceGroup } from './read-pool.js';
export type { ChainInput, ConfigCommit } from './chain.js';
export { assembleChain } from './chain.js';
export type { ChainRequest, CurrentVersion, ProvenanceSources } from './chain-read.js';
export { readChain, runtimeProvenance, storeOnlyProvenance } from './chain-read.js';
export type { LinkedPromotion, PromotionLinks } from './promotion-links.js';
export { withPromotionLinks } from './promotion-links.js';
export type { LineageHistoryEntry, LineageInput } from './lineage.js';
export { assembleLineage, releaseSpecOf } from './lineage.js';
export { LINEAGE_HISTORY_DEPTH, readLineage } from './lineage-read.js';
export type { Forge, LinkConfig, Linker, Links, RegistryLinkTemplates, RepositoryLinkTemplates } from './links.js';
export { createLinker, forgeOf, remoteParts } from './links.js';
