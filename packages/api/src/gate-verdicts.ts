import { z } from '@hono/zod-openapi';
import { roleSchema } from './me.js';

/**
 * A gate's verdict as `why`, a waiting promotion and the history hand it over: one shape per
 * gate kind (`kind` tells which), each with the evidence the gate looked at. Times in evidence
 * are ISO 8601 text as recorded; a record's time that did not parse is passed on as it was.
 */

export const gateOutcomeSchema = z
  .enum(['pass', 'wait', 'block'])
  .openapi({ description: 'pass: lets the version through now; wait: not yet; block: not as things are.' });

/** Set in any kind's evidence when the gate could not be evaluated at all (it then blocks). */
const notEvaluated = {
  notEvaluated: z.string().optional().openapi({ description: 'Why the gate could not be evaluated (it blocks).' }),
};

const verdictBase = {
  gate: z.string().openapi({ description: "The gate's name." }),
  outcome: gateOutcomeSchema,
  reason: z.string().openapi({ description: 'One line: why.' }),
  unblock: z.string().optional().openapi({ description: 'What would unblock it, in words; absent when it passes.' }),
  changesAt: z
    .string()
    .optional()
    .openapi({ description: 'When the verdict may change with time alone (a window, a soak, an expiry).' }),
};

export const soakEvidenceSchema = z
  .object({
    durationMs: z.number().openapi({ description: 'The soak time required.' }),
    upstreams: z.array(
      z.object({
        phase: z.string(),
        state: z.string().openapi({ description: 'verified, pending, running, failed or absent.' }),
        verifiedAt: z.string().optional(),
        soakedAt: z.string().optional().openapi({ description: 'When the soak is (or was) complete.' }),
      }),
    ),
    ...notEvaluated,
  })
  .openapi('SoakEvidence');

/** One person's decision: who, with which role, when, and what they said. */
export const approvalEntrySchema = z
  .object({
    by: z.string(),
    role: z.string().openapi({ description: 'Their role when they decided.' }),
    at: z.string(),
    comment: z.string().optional(),
    expiresAt: z.string().optional().openapi({ description: 'When a counted approval stops counting.' }),
    ignored: z.string().optional().openapi({ description: 'Why it does not count.' }),
  })
  .openapi('ApprovalEntry');

export const approvalEvidenceSchema = z
  .object({
    required: z.number().int(),
    eligible: z
      .object({
        minRole: roleSchema
          .optional()
          .openapi({ description: 'The lowest role whose approval counts (higher ones count too).' }),
        tokens: z
          .array(z.string())
          .openapi({ description: 'Token holders whose approval counts, whatever their role.' }),
        text: z.string().openapi({ description: 'Both in words: `a promoter or admin, or release-bot`.' }),
      })
      .openapi({ description: 'Who may approve.' }),
    requester: z.string().optional().openapi({ description: 'Who asked: their own approval never counts.' }),
    approvers: z
      .array(approvalEntrySchema)
      .openapi({ description: 'The approvals that count, one per person, in the order people decided.' }),
    rejections: z
      .array(approvalEntrySchema)
      .openapi({ description: 'Rejections by people who may approve: any one blocks the version.' }),
    ignored: z.array(approvalEntrySchema).openapi({ description: 'Decisions that do not count, each saying why.' }),
    ...notEvaluated,
  })
  .openapi('ApprovalEvidence');

export const windowEvidenceSchema = z
  .object({
    timeZone: z.string(),
    localTime: z.string().openapi({ description: 'The wall clock at evaluation, e.g. `Fri 5 Dec 2025 18:30`.' }),
    open: z.boolean(),
    closedBy: z.enum(['schedule', 'deny', 'freeze']).optional(),
    period: z.string().optional().openapi({ description: 'The allow period it is open in, or the deny period.' }),
    freeze: z.object({ reason: z.string(), start: z.string(), end: z.string() }).optional(),
    changesAt: z.string().optional().openapi({ description: 'When it opens (closed) or closes (open).' }),
    override: z
      .object({ by: z.string(), at: z.string(), reason: z.string() })
      .optional()
      .openapi({ description: "An admin's override that opens it, with the reason." }),
    ...notEvaluated,
  })
  .openapi('WindowEvidence');

export const commitEvidenceSchema = z
  .object({
    commit: z.string().optional(),
    subject: z.string().optional().openapi({ description: "The commit message's first line." }),
    identity: z.enum(['committer', 'author']),
    email: z.string().optional(),
    skipMarker: z.string().optional(),
    ticket: z.string().optional(),
    ticketPattern: z.string().optional(),
    failed: z
      .array(z.enum(['message-unknown', 'skip-marker', 'email-unknown', 'committer', 'ticket']))
      .openapi({ description: 'The rules that failed.' }),
    ...notEvaluated,
  })
  .openapi('CommitEvidence');

export const branchEvidenceSchema = z
  .object({
    branch: z.string().optional().openapi({ description: 'The branch the version was built from, if known.' }),
    allowed: z.array(z.string()),
    manualOnly: z.boolean().openapi({ description: 'Allowed branches pass only when a person releases by hand.' }),
    manual: z.boolean().openapi({ description: 'Whether this evaluation judged a release by hand.' }),
    matched: z.string().optional().openapi({ description: 'The pattern it matched.' }),
    ...notEvaluated,
  })
  .openapi('BranchEvidence');

export const signatureEvidenceSchema = z
  .object({
    keys: z.array(z.string()).openapi({ description: 'The ids of the keys a signature may verify with.' }),
    predicateType: z.string().optional(),
    verifiedBy: z.string().optional().openapi({ description: 'The key that verified it.' }),
    results: z.array(
      z.object({
        verified: z.boolean(),
        reason: z.string(),
        keyId: z.string().optional(),
        predicateType: z.string().optional(),
        outcome: z.string().optional().openapi({ description: 'verified, refused or unavailable.' }),
      }),
    ),
    ...notEvaluated,
  })
  .openapi('SignatureEvidence');

/** One gate's verdict, discriminated by `kind`. */
export const gateVerdictSchema = z
  .discriminatedUnion('kind', [
    z.object({ ...verdictBase, kind: z.literal('soak'), evidence: soakEvidenceSchema }).openapi('SoakVerdict'),
    z
      .object({ ...verdictBase, kind: z.literal('approval'), evidence: approvalEvidenceSchema })
      .openapi('ApprovalVerdict'),
    z.object({ ...verdictBase, kind: z.literal('window'), evidence: windowEvidenceSchema }).openapi('WindowVerdict'),
    z.object({ ...verdictBase, kind: z.literal('commit'), evidence: commitEvidenceSchema }).openapi('CommitVerdict'),
    z.object({ ...verdictBase, kind: z.literal('branch'), evidence: branchEvidenceSchema }).openapi('BranchVerdict'),
    z
      .object({ ...verdictBase, kind: z.literal('signature'), evidence: signatureEvidenceSchema })
      .openapi('SignatureVerdict'),
  ])
  .openapi('GateVerdict');

/** What every gate's verdict adds up to. */
export const gatesSummarySchema = z
  .object({
    outcome: gateOutcomeSchema,
    blocking: z.array(z.string()),
    waiting: z.array(z.string()),
    recheckAt: z
      .string()
      .optional()
      .openapi({ description: 'The earliest time a verdict may change with time alone.' }),
    reason: z.string(),
  })
  .openapi('GatesSummary');

export type ApiGateOutcome = z.infer<typeof gateOutcomeSchema>;
export type ApiGateVerdict = z.infer<typeof gateVerdictSchema>;
export type ApiGateKind = ApiGateVerdict['kind'];
/** The verdict of one kind of gate: `ApiGateVerdictOf<'approval'>`. */
export type ApiGateVerdictOf<K extends ApiGateKind> = Extract<ApiGateVerdict, { kind: K }>;
export type ApiApprovalEntry = z.infer<typeof approvalEntrySchema>;
export type ApiGatesSummary = z.infer<typeof gatesSummarySchema>;
