export type { ApprovalGate, ApprovalGateInput } from './approval-schema.js';
export { approvalGateSchema, describeApprovers } from './approval-schema.js';
export type { BranchGate, BranchGateInput } from './branch-schema.js';
export { branchGateSchema } from './branch-schema.js';
export type { CommitGate, CommitGateInput } from './commit-schema.js';
export { commitGateSchema } from './commit-schema.js';
export { durationSchema } from './duration-schema.js';
export { decideGates, evaluateGates } from './evaluate.js';
export type {
  ApprovalRecord,
  GateFacts,
  GateRequest,
  OverrideRecord,
  Person,
  SignatureRecord,
  SourceCommitFacts,
  TriggerKind,
  UpstreamFacts,
  UpstreamState,
  VersionFacts,
} from './facts.js';
export { isManual } from './facts.js';
export type { Gate, GateInput, GateKind } from './gate-schema.js';
export { GATE_KINDS, gateSchema, gatesSchema, parseGate, parseGates } from './gate-schema.js';
export { gateNameSchema } from './gate-name.js';
export type { Matcher } from './pattern.js';
export { compilePattern, compileRegex } from './pattern.js';
export type { GateRole } from './roles.js';
export { GATE_ROLES, gateRoleSchema, roleRank } from './roles.js';
export type { SignatureGate, SignatureGateInput } from './signature-schema.js';
export { signatureGateSchema } from './signature-schema.js';
export type { SoakGate, SoakGateInput } from './soak-schema.js';
export { soakGateSchema } from './soak-schema.js';
export type {
  ApprovalEligibility,
  ApprovalEntry,
  ApprovalEvidence,
  ApprovalVerdict,
  BranchEvidence,
  BranchVerdict,
  CommitEvidence,
  CommitVerdict,
  GateDecision,
  GateEvidenceByKind,
  GateOutcome,
  GateVerdict,
  SignatureEvidence,
  SignatureResultEvidence,
  SignatureVerdict,
  SoakEvidence,
  SoakUpstreamEvidence,
  SoakVerdict,
  WindowEvidence,
  WindowVerdict,
} from './verdict.js';
export type { GatesSummary } from './summary.js';
export { summarize } from './summary.js';
export type { WindowFreeze, WindowGate, WindowGateInput, WindowPeriod } from './window-schema.js';
export { windowGateSchema } from './window-schema.js';
