import { z } from 'zod';
import { promotionDeploymentSchema, promotionVerificationSchema } from './deployment-types.js';
import { promotionStateSchema } from './promotion-state.js';

/** Who or what asked for a promotion. */
export const triggerSchema = z.discriminatedUnion('kind', [
  /**
   * `author`: the person's Git identity, for the commit (a CLI user's `git config`, a token
   * holder's name); `rollbackOf`: the earlier promotion whose version this rollback restores.
   */
  z.object({
    kind: z.literal('person'),
    actor: z.string().min(1),
    author: z.object({ name: z.string().min(1), email: z.string().min(1) }).optional(),
    rollbackOf: z.uuid().optional(),
  }),
  /** `schedule` names the schedule (its id or expression). */
  z.object({ kind: z.literal('schedule'), schedule: z.string().min(1) }),
  /** `source` names the webhook source (a registry, a Git host); `event` its event id, if any. */
  z.object({ kind: z.literal('webhook'), source: z.string().min(1), event: z.string().optional() }),
  /** `policy` names the rule that promoted automatically (e.g. auto-promotion). */
  z.object({ kind: z.literal('policy'), policy: z.string().min(1) }),
]);
export type Trigger = z.infer<typeof triggerSchema>;

export const promotionErrorSchema = z.object({ code: z.string().min(1), message: z.string() });
export type PromotionError = z.infer<typeof promotionErrorSchema>;

/** A resource as JSON: any object with a `kind`. */
const targetSchema = z.looseObject({ kind: z.string().min(1) });

/** What `createPromotion` takes. */
export const newPromotionSchema = z.object({
  /** Defaults to a fresh UUID; pass one to use it in the commit trailer before the record exists. */
  id: z.uuid().optional(),
  pipeline: z.string().min(1),
  phase: z.string().min(1),
  fromPhase: z.string().min(1).optional(),
  fromDigest: z.string().min(1).optional(),
  fromVersion: z.string().min(1).optional(),
  toDigest: z.string().min(1),
  toVersion: z.string().min(1),
  target: targetSchema,
  trigger: triggerSchema,
  reason: z.string(),
  /** Start in `waiting`: a gate says "not yet" (the verdicts are in `gates`). */
  waiting: z.boolean().optional(),
  /** The gates' verdicts when it was requested (see @gantry/gates), for history and `gantry why`. */
  gates: z.array(z.record(z.string(), z.unknown())).optional(),
});
export type NewPromotion = z.input<typeof newPromotionSchema>;

const isoTimestamp = z.iso.datetime();

/**
 * A promotion's pull request, as reads show it. `superseded`: a newer promotion of the phase
 * took the pull request over (same number, newer commit and title).
 */
/** The provider's checks of a proposal's head: commit statuses and check runs, or GitLab's head pipeline. */
export const proposalChecksSchema = z.object({
  state: z.enum(['pending', 'success', 'failure']),
  total: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
});
export type ProposalChecks = z.infer<typeof proposalChecksSchema>;

export const promotionProposalSchema = z.object({
  provider: z.enum(['github', 'gitlab']),
  repository: z.string().min(1),
  number: z.number().int().positive(),
  url: z.string().min(1),
  state: z.enum(['open', 'merged', 'closed', 'superseded']),
  headBranch: z.string().min(1),
  headSha: z.string().min(1),
  mergedCommit: z.string().optional(),
  /** The checks of its head commit as last read (poll or webhook). */
  checks: proposalChecksSchema.optional(),
});
export type PromotionProposal = z.infer<typeof promotionProposalSchema>;

export const promotionSchema = newPromotionSchema.omit({ waiting: true }).extend({
  id: z.uuid(),
  state: promotionStateSchema,
  commitSha: z.string().optional(),
  /** How many times a worker claimed it. */
  attempts: z.number().int().nonnegative(),
  error: promotionErrorSchema.optional(),
  /** The worker (replica) that claimed it last. */
  claimedBy: z.string().optional(),
  /** What the deployer reported for its commit, once it reported. */
  deployment: promotionDeploymentSchema.optional(),
  /** Its checks' verdict, once verification started. */
  verification: promotionVerificationSchema.optional(),
  /** Its pull request, when its phase writes by proposal. */
  proposal: promotionProposalSchema.optional(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
});
export type Promotion = z.infer<typeof promotionSchema>;

export const promotionEventSchema = z.object({
  state: promotionStateSchema,
  at: isoTimestamp,
  detail: z.record(z.string(), z.unknown()),
});
export type PromotionEvent = z.infer<typeof promotionEventSchema>;

export const promotionWithEventsSchema = promotionSchema.extend({ events: z.array(promotionEventSchema) });
export type PromotionWithEvents = z.infer<typeof promotionWithEventsSchema>;

/** What may change along with a transition. */
export interface TransitionPatch {
  readonly commitSha?: string;
  readonly error?: PromotionError;
  /** Stored with the transition's event (e.g. `{ by: 'replica-2' }`). */
  readonly detail?: Record<string, unknown>;
  /**
   * Compare-and-set on the claim: apply only while the promotion's `attempts` is still
   * this (no claim since the one this caller acts for), else `stale_claim`. Workers and
   * recovery pass it, so a view read before someone else claimed the promotion loses.
   */
  readonly ifAttempt?: number;
}

export interface PromotionQuery {
  readonly pipeline: string;
  readonly phase?: string;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
  /** 1..500; default 50. */
  readonly limit?: number;
}

/** One page of a newest-first listing; `nextCursor` is absent on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string;
}

/** Ranked viewer < ci < promoter < admin: `ci` may read and report artifacts, not promote or approve. */
export const tokenRoleSchema = z.enum(['viewer', 'ci', 'promoter', 'admin']);
export type TokenRole = z.infer<typeof tokenRoleSchema>;

export const tokenRecordSchema = z.object({
  id: z.uuid(),
  name: z.string().min(1),
  role: tokenRoleSchema,
  createdAt: isoTimestamp,
  revokedAt: isoTimestamp.optional(),
});
export type TokenRecord = z.infer<typeof tokenRecordSchema>;

export const newTokenSchema = z.object({ name: z.string().min(1), role: tokenRoleSchema });
export type NewToken = z.infer<typeof newTokenSchema>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: isoTimestamp,
  actor: z.string().min(1),
  action: z.string().min(1),
  subject: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const newAuditEntrySchema = auditEntrySchema.pick({ actor: true, action: true, subject: true }).extend({
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type NewAuditEntry = z.input<typeof newAuditEntrySchema>;
