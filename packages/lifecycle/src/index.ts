export { errorOf, lostRace } from './errors.js';
export type { Execution } from './execute.js';
export { executeClaimed } from './execute.js';
export type { Lifecycle, OwnPromotion, Why } from './lifecycle.js';
export { createLifecycle } from './lifecycle.js';
export type {
  EventSink,
  HoldChange,
  LifecycleEvent,
  LifecycleMetrics,
  LifecycleOptions,
  LifecycleStore,
  PromotionResult,
} from './ports.js';
export type { Recovered } from './recover.js';
export { MAX_ATTEMPTS, recoverOrphans } from './recover.js';
export type { PromotionRequest, RequestOutcome } from './request.js';
export { planRequest, RollbackNotFoundError } from './request.js';
export { authorOf } from './write-request.js';
export { createTurns } from './turns.js';
export type { Ingested, Tracker, TrackerOptions } from './tracking.js';
export { createTracker } from './tracking.js';
export type { Verifier, VerifierOptions } from './verification.js';
export { createVerifier } from './verification.js';
export { describeHold, holdsOn } from './holds.js';
export { NotVerifiableError } from './not-verifiable-error.js';
export type { GateEvaluation } from './gates.js';
export { evaluatePhaseGates, GatesBlockedError } from './gates.js';
export { NotWaitingError } from './waiting.js';
export type { Overridden, OverrideRequest } from './override.js';
export { overrideGate, UnknownGateError } from './override.js';
export type { ProposalChange, Proposals, ProposalsOptions } from './proposals.js';
export { createProposals } from './proposals.js';
