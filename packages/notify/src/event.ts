import { z } from 'zod';

/**
 * What Gantry notifies about: one discriminated union on `type`, shared by every channel and
 * sent as-is (inside the webhook envelope) to generic webhooks, so this schema is also the
 * documented body receivers parse.
 */

export const NOTIFICATION_EVENT_TYPES = [
  'promotion.succeeded',
  'promotion.failed',
  'verification.failed',
  'deployment.degraded',
  'approval.requested',
  'approval.decided',
] as const;
export const notificationEventTypeSchema = z.enum(NOTIFICATION_EVENT_TYPES);
export type NotificationEventType = z.infer<typeof notificationEventTypeSchema>;

/** A version of the resource: what people read, and the digest that identifies it. */
export const versionSchema = z.object({
  version: z.string().min(1),
  digest: z.string().min(1).optional(),
});
export type NotificationVersion = z.infer<typeof versionSchema>;

/** A person as far as Gantry knows them (a commit author, a CI report's author). */
export const personSchema = z.object({
  name: z.string().min(1).optional(),
  email: z.string().min(1).optional(),
  /** A GitHub login, when known (CI reports). */
  login: z.string().min(1).optional(),
});
export type NotificationPerson = z.infer<typeof personSchema>;

/** Who or what asked for the promotion (the same shape the promotion record keeps). */
export const notificationTriggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), actor: z.string().min(1) }),
  z.object({ kind: z.literal('schedule'), schedule: z.string().min(1) }),
  z.object({ kind: z.literal('webhook'), source: z.string().min(1), event: z.string().optional() }),
  z.object({ kind: z.literal('policy'), policy: z.string().min(1) }),
]);
export type NotificationTrigger = z.infer<typeof notificationTriggerSchema>;

export const commitRefSchema = z.object({
  sha: z.string().regex(/^[0-9a-f]{7,64}$/i, 'a hexadecimal commit id'),
  /** `owner/name` on GitHub, when the commit lives there (commit statuses go to it). */
  repository: z
    .string()
    .regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name')
    .optional(),
  /** A web page of the commit, when the producer knows one. */
  url: z.url().optional(),
});
export type CommitRef = z.infer<typeof commitRefSchema>;

const common = {
  /** The promotion this is about; part of every idempotency key. */
  promotionId: z.string().min(1),
  pipeline: z.string().min(1),
  phase: z.string().min(1),
  /** The upstream phase the version came from, if any. */
  fromPhase: z.string().min(1).optional(),
  /** What the phase held before; `null` for its first version. */
  from: versionSchema.nullable(),
  to: versionSchema,
  trigger: notificationTriggerSchema,
  /** The author of the change being promoted, where known (source commit, CI report, trailers). */
  author: personSchema.optional(),
  /** The commit the version was built from: GitHub commit statuses are set on it. */
  sourceCommit: commitRefSchema.optional(),
  /** Gantry's commit in the config repository. */
  configCommit: commitRefSchema.optional(),
  /**
   * Distinguishes repeated events of one type for one promotion (a verification run number, a
   * deployer event id); part of the idempotency key. Leave unset when the event happens once.
   */
  occurrence: z.string().min(1).optional(),
  occurredAt: z.iso.datetime({ offset: true }),
};

export const promotionSucceededSchema = z.object({ type: z.literal('promotion.succeeded'), ...common });
export const promotionFailedSchema = z.object({
  type: z.literal('promotion.failed'),
  ...common,
  error: z.object({ code: z.string().min(1), message: z.string() }),
});
export const verificationFailedSchema = z.object({
  type: z.literal('verification.failed'),
  ...common,
  check: z.object({
    /** The check's name in the phase's verification. */
    name: z.string().min(1),
    /** `http`, `prometheus`, `command`, `deployer`... */
    kind: z.string().min(1).optional(),
    message: z.string(),
    /** What the check printed or answered, possibly truncated. */
    output: z.string().optional(),
  }),
});
export const deploymentDegradedSchema = z.object({
  type: z.literal('deployment.degraded'),
  ...common,
  deployment: z.object({
    /** `flux`, `argocd`... */
    deployer: z.string().min(1).optional(),
    /** The deployer's object, e.g. `Kustomization/flux-system/web`. */
    object: z.string().min(1).optional(),
    state: z.enum(['failed', 'degraded']),
    message: z.string(),
  }),
});

/** Who may approve, as the approval gate's verdict says (its `eligible` evidence). */
export const approvalEligibilitySchema = z.object({
  /** The lowest role whose approval counts (higher ones count too). */
  minRole: z.string().min(1).optional(),
  /** Token holders whose approval counts, whatever their role. */
  tokens: z.array(z.string().min(1)),
  /** Both in words: `a promoter or admin, or release-bot`. */
  text: z.string(),
});

/** One person's decision on the version. */
export const approvalDecisionSchema = z.object({
  by: z.string().min(1),
  role: z.string().min(1),
  at: z.string().min(1),
  comment: z.string().optional(),
});

/** A gated promotion waits for approvals: sent once per promotion (so once per version asked for). */
export const approvalRequestedSchema = z.object({
  type: z.literal('approval.requested'),
  ...common,
  approval: z.object({
    /** The approval gate's name. */
    gate: z.string().min(1),
    /** How many approvals the version needs in all. */
    required: z.number().int().positive(),
    /** How many already count. */
    approved: z.number().int().nonnegative(),
    eligible: approvalEligibilitySchema,
    /** Who asked for the promotion: their own approval never counts. */
    requester: z.string().min(1).optional(),
    /** The verdict in words (`0 of 2 approvals`) and what would unblock it. */
    reason: z.string(),
    unblock: z.string().optional(),
  }),
});

/** The approval gate was decided: enough approvals, or a rejection. Sent once per promotion. */
export const approvalDecidedSchema = z.object({
  type: z.literal('approval.decided'),
  ...common,
  approval: z.object({
    gate: z.string().min(1),
    decision: z.enum(['approved', 'rejected']),
    required: z.number().int().positive(),
    /** The approvals that counted (approved) or the rejections (rejected). */
    decisions: z.array(approvalDecisionSchema),
    reason: z.string(),
  }),
});

export const notificationEventSchema = z.discriminatedUnion('type', [
  promotionSucceededSchema,
  promotionFailedSchema,
  verificationFailedSchema,
  deploymentDegradedSchema,
  approvalRequestedSchema,
  approvalDecidedSchema,
]);
/** An event to notify about. */
export type NotificationEvent = z.infer<typeof notificationEventSchema>;
export type NotificationEventOf<T extends NotificationEventType> = Extract<NotificationEvent, { type: T }>;

/** Failures are what reach the author: a rejection is one, a request for approval or a success is not. */
export const isFailure = (e: NotificationEvent): boolean =>
  e.type === 'promotion.failed' ||
  e.type === 'verification.failed' ||
  e.type === 'deployment.degraded' ||
  (e.type === 'approval.decided' && e.approval.decision === 'rejected');
