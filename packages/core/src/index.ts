export type { Duration } from './duration.js';
export { formatAge, milliseconds, parseDuration, seconds } from './duration.js';
export type { ErrorCategory, ErrorCode } from './error-codes.js';
export { categoryOf, ERROR_CODES, HTTP_STATUS_OF_CATEGORY, httpStatusOf, isErrorCode } from './error-codes.js';
export type { ValidationIssue } from './errors.js';
export {
  formatIssue,
  GantryError,
  InvalidTargetError,
  isGantryError,
  NotFoundError,
  NotWritableError,
  PromotionBlockedError,
  SourceError,
  TargetNotFoundError,
  UpdaterError,
  ValidationError,
} from './errors.js';
export { unifiedDiff } from './diff.js';
export type { ImageReference } from './image-reference.js';
export { formatImageReference, parseImageReference } from './image-reference.js';
export type {
  Engine,
  EngineOptions,
  PlanOptions,
  PromoteOptions,
  PromotionOutcome,
  PromotionProgress,
  ProposalRebase,
  RebaseProposalOptions,
} from './engine.js';
export { createEngine } from './engine.js';
export type {
  Labels,
  Phase,
  PhaseRef,
  Pipeline,
  PipelineBuilder,
  PipelineOptions,
  PromotedPhaseOptions,
  QueuePolicy,
  SourcePhaseOptions,
} from './pipeline.js';
export { definePipeline, downstreamOf, pipeline, topologicalOrder } from './pipeline.js';
export type { PlanInput, PromotionPlan, ResourceRef } from './plan.js';
export { DEFAULT_MESSAGE, planPromotion, renderTemplate, ROLLBACK_MESSAGE, TRAILERS } from './plan.js';
export type {
  ArtifactTypes,
  Bundle,
  GitCommit,
  HelmChart,
  OciImage,
  Resource,
  ResourceIssue,
  ResourceType,
} from './resource.js';
export {
  bundle,
  canonicalJson,
  gitCommit,
  helmChart,
  ociImage,
  ociImageByTag,
  ResourceParseError,
  sha256,
  shortDigest,
} from './resource.js';
export type { TargetLookup, TargetResolver } from './target.js';
export type { VersionResolver, VersionSpec } from './release-version.js';
export { canResolveVersions, resolveVersion } from './release-version.js';
export type { HistoryEntry, HistoryReader, PhaseHistoryEntry } from './phase-history.js';
export { canReadHistory, readPhaseHistory } from './phase-history.js';
export type { RoundSlot } from './read-round.js';
export { inRound, roundSlot, runInRound } from './read-round.js';
export { freshReadsSince, readingFreshSince } from './fresh-reads.js';
export { canLookUpTargets, parseTarget, verifyTarget } from './target.js';
export type { Logger, ServiceKey, Services } from './services.js';
export { createServices, MissingServiceError, serviceKey, silentLogger } from './services.js';
export type {
  FileEdit,
  FileUpdater,
  Identity,
  Observation,
  ReadOnlySource,
  ReadWriteSource,
  Revision,
  Snapshot,
  Source,
  SourceContext,
  SourceSubject,
  WriteRequest,
  WriteResult,
} from './source.js';
export { bundleSource, customSource } from './custom-source.js';
export type { PhaseState, PhaseStatus, PipelineStatus, UpstreamComparison } from './status.js';
export type { System, SystemDefinition } from './system.js';
export type { WriteLock } from './write-lock.js';
export { createSystem, defineConfig, findPhase, findPipeline, validateSystem } from './system.js';
export type { PhaseCheck, PhaseDeployer, PhaseGate, PhaseVerification } from './verification.js';
export { hasVerification } from './verification.js';
export type {
  AutoMerge,
  ProposalChecks,
  ProposalCommitsLookup,
  ProposalOptions,
  ProposalProvider,
  ProposalProviderKind,
  ProposalProviders,
  ProposalRead,
  ProposalRecord,
  ProposalRequest,
  ProposalSourceCommits,
  ProposalState,
  WriteMode,
} from './proposal.js';
export {
  DEFAULT_PROPOSAL_BODY,
  DEFAULT_PROPOSAL_BRANCH,
  DEFAULT_PROPOSAL_TITLE,
  proposalProvidersKey,
  proposalVars,
  renderProposal,
} from './proposal.js';
export type { ProposeRequest, ProposeResult } from './source.js';
export { ProposalUnsupportedError } from './engine.js';
