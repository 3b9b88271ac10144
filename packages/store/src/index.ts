export type { ChangeListener, PromotionChange, RecordListener, RecordNotice } from './changes.js';
export type { DeliveryCheck } from './deliveries.js';
export type { Store, StoreOptions } from './store.js';
export { openStore } from './store.js';
export {
  IllegalTransitionError,
  InvalidCursorError,
  PromotionNotFoundError,
  StaleClaimError,
  StoreUnreachableError,
} from './errors.js';
export { maskDatabaseUrl } from './mask-url.js';
export type { PromotionState } from './promotion-state.js';
export {
  ACTIVE_STATES,
  allowedTransitions,
  canTransition,
  isActive,
  isTerminal,
  PROMOTION_STATES,
  promotionStateSchema,
  TERMINAL_STATES,
  UNFINISHED_STATES,
} from './promotion-state.js';
export { TOKEN_PREFIX } from './tokens.js';
export type {
  AuditEntry,
  NewAuditEntry,
  NewPromotion,
  NewToken,
  Page,
  Promotion,
  PromotionError,
  PromotionEvent,
  PromotionQuery,
  PromotionWithEvents,
  TokenRecord,
  TokenRole,
  TransitionPatch,
  Trigger,
} from './types.js';
export {
  auditEntrySchema,
  newAuditEntrySchema,
  newPromotionSchema,
  newTokenSchema,
  promotionErrorSchema,
  promotionEventSchema,
  promotionSchema,
  promotionWithEventsSchema,
  tokenRecordSchema,
  tokenRoleSchema,
  triggerSchema,
} from './types.js';
export type { DeploymentStore } from './deployment-store.js';
export type {
  CheckResultRecord,
  DeployerEventRecord,
  DeploymentState,
  NewDeployerEvent,
  PromotionDeployment,
  PromotionVerification,
  VerificationState,
} from './deployment-types.js';
export {
  checkResultRecordSchema,
  deployerEventRecordSchema,
  deploymentStateSchema,
  promotionDeploymentSchema,
  promotionVerificationSchema,
  verificationStateSchema,
} from './deployment-types.js';
export type { DeliveryAttempt } from './notification-deliveries.js';
export type { GateStore } from './gate-store.js';
export type { Approval, Hold, NewApproval, NewHold } from './gate-types.js';
export { approvalSchema, holdSchema } from './gate-types.js';
export type { GateOverride, NewGateOverride, OverrideQuery, OverrideStore } from './override-store.js';
export { gateOverrideSchema } from './override-store.js';
export type { ArtifactStore } from './artifact-store.js';
export type { ArtifactAuditOf, RecordedArtifact } from './artifact-store.js';
export type {
  Artifact,
  ArtifactOutcome,
  ArtifactQuery,
  ArtifactSource,
  ArtifactStep,
  ArtifactStepStatus,
  NewArtifact,
  NewArtifactStep,
  SourceField,
} from './artifact-types.js';
export {
  artifactSchema,
  artifactSourceSchema,
  artifactStepSchema,
  artifactStepStatusSchema,
  SOURCE_FIELDS,
} from './artifact-types.js';
export type { HistoryStore } from './history-store.js';
export type { LandedPromotion, ProvenanceStore } from './provenance-store.js';
export type { DeliveryHistory, DeliveryHistoryQuery, PhaseDeliveries, SourceOrigin } from './delivery-history.js';
export type { PurgedHistory } from './history-retention.js';
export type { PromotionFeedQuery } from './promotion-feed.js';
export type { OpenProposal, ProposalInput, ProposalStore, StoredProposal } from './proposal-store.js';
export type { PromotionProposal, ProposalChecks } from './types.js';
export { promotionProposalSchema, proposalChecksSchema } from './types.js';
