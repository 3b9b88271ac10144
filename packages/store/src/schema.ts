import type { Generated } from 'kysely';
import type { ArtifactPipelinesTable, ArtifactStepsTable, ArtifactsTable } from './artifact-schema.js';
import type { ProposalsTable } from './proposal-schema.js';

/**
 * The tables, as Kysely sees them. Both dialects store the same values: timestamps
 * as ISO-8601 UTC strings (`Date#toISOString`, which sort as text), JSON as text,
 * and a per-table integer `seq` that orders rows by insertion.
 */
export interface Database {
  promotions: PromotionsTable;
  promotion_events: PromotionEventsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  webhook_deliveries: WebhookDeliveriesTable;
  deployer_events: DeployerEventsTable;
  check_results: CheckResultsTable;
  notification_deliveries: NotificationDeliveriesTable;
  approvals: ApprovalsTable;
  holds: HoldsTable;
  gate_overrides: GateOverridesTable;
  artifacts: ArtifactsTable;
  artifact_pipelines: ArtifactPipelinesTable;
  artifact_steps: ArtifactStepsTable;
  proposals: ProposalsTable;
}

export interface PromotionsTable {
  seq: Generated<number>;
  id: string;
  pipeline: string;
  phase: string;
  from_phase: string | null;
  from_digest: string | null;
  from_version: string | null;
  to_digest: string;
  to_version: string;
  /** JSON of the resource being promoted. */
  target: string;
  /** JSON of the Trigger. */
  trigger: string;
  reason: string;
  state: string;
  commit_sha: string | null;
  attempts: number;
  /** JSON `{code, message}` when failed. */
  error: string | null;
  claimed_by: string | null;
  /** Id of the store that claimed it; its session lock tells whether that store lives. */
  lease: string | null;
  /** JSON PromotionDeployment: what the deployer reported for its commit. */
  deployment: string | null;
  /** JSON PromotionVerification: its checks' verdict. */
  verification: string | null;
  /** JSON array of the gates' verdicts, as last evaluated. */
  gates: string | null;
  /** JSON PromotionProposal: its pull request, when the phase writes by proposal. */
  proposal: string | null;
  created_at: string;
  updated_at: string;
}

export interface PromotionEventsTable {
  seq: Generated<number>;
  promotion_id: string;
  state: string;
  at: string;
  /** JSON object. */
  detail: string;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  role: string;
  /** Hex sha256 of the plaintext token; the plaintext is never stored. */
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: string;
}

export interface WebhookDeliveriesTable {
  /** A delivery id, namespaced by where it came from (`github:<guid>`, `registry:<event id>`). */
  id: string;
  received_at: string;
}

export interface DeployerEventsTable {
  seq: Generated<number>;
  id: string;
  /** Idempotency key (unique): a redelivered report is recorded once. */
  key: string;
  received_at: string;
  deployer: string;
  object_kind: string;
  object_namespace: string | null;
  object_name: string;
  revision: string | null;
  commit_sha: string | null;
  state: string;
  reason: string | null;
  message: string;
  occurred_at: string;
  /** JSON array of `pipeline/phase`; `[]` when no phase names this deployer object. */
  matched: string;
}

export interface CheckResultsTable {
  seq: Generated<number>;
  promotion_id: string;
  run: number;
  name: string;
  /** JSON of the check's result. */
  result: string;
  recorded_at: string;
}

export interface NotificationDeliveriesTable {
  seq: Generated<number>;
  /** The delivery's idempotency key (one per promotion, event and channel). */
  key: string;
  promotion_id: string;
  /** delivered | retrying | failed | abandoned | skipped */
  outcome: string;
  at: string;
  /** JSON of the whole attempt record. */
  record: string;
}

export interface ApprovalsTable {
  seq: Generated<number>;
  id: string;
  pipeline: string;
  phase: string;
  /** The one version the decision is for. */
  digest: string;
  actor: string;
  role: string;
  /** approve | reject */
  decision: string;
  comment: string | null;
  at: string;
}

export interface HoldsTable {
  seq: Generated<number>;
  id: string;
  pipeline: string;
  /** null: the whole pipeline (a pause). */
  phase: string | null;
  /** pin | pause */
  kind: string;
  actor: string;
  reason: string;
  /** The version a pin holds the phase at. */
  digest: string | null;
  at: string;
  released_at: string | null;
  released_by: string | null;
}

/** An admin's override of a window gate (a closed window or a freeze), with a reason. */
export interface GateOverridesTable {
  seq: Generated<number>;
  id: string;
  pipeline: string;
  phase: string;
  /** The window gate's name. */
  gate: string;
  /** null: any version of the phase. */
  digest: string | null;
  /** The version as people read it, when `digest` names one. */
  version: string | null;
  actor: string;
  role: string;
  reason: string;
  at: string;
  /** null: never expires. */
  expires_at: string | null;
}
