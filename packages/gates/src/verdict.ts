import type { GateKind } from './gate-schema.js';
import type { GateRole } from './roles.js';

/**
 * - `pass`: the gate lets this version through now;
 * - `wait`: not yet, but it may pass later without anyone changing the configuration
 *   (soak time, a closed window, approvals still missing);
 * - `block`: it will not pass for this version as things are (wrong branch, no ticket,
 *   bad signature, rejected, a fact nobody supplied).
 */
export type GateOutcome = 'pass' | 'wait' | 'block';

interface VerdictBase<K extends GateKind, E> {
  /** The gate's name. */
  readonly gate: string;
  readonly kind: K;
  readonly outcome: GateOutcome;
  /** One line: why. */
  readonly reason: string;
  /** What would unblock it, in words; absent when it passes. */
  readonly unblock?: string;
  /** When this verdict may change with time alone (a window opens or closes, a soak ends, an approval expires). */
  readonly changesAt?: string;
  /** Set when the gate could not be evaluated at all (an invalid definition, no clock): it then blocks. */
  readonly evidence: E & { readonly notEvaluated?: string };
}

export interface SoakUpstreamEvidence {
  readonly phase: string;
  readonly state: string;
  readonly verifiedAt?: string;
  /** When the soak is (or was) complete. */
  readonly soakedAt?: string;
}

export interface SoakEvidence {
  /** The soak time required, in ms. */
  readonly durationMs: number;
  readonly upstreams: readonly SoakUpstreamEvidence[];
}

/** One person's decision on the version: who, with which role, when, and what they said. */
export interface ApprovalEntry {
  readonly by: string;
  readonly role: string;
  readonly at: string;
  readonly comment?: string;
  /** When a counted approval stops counting. */
  readonly expiresAt?: string;
  /** Why an entry did not count. */
  readonly ignored?: string;
}

/** Who may approve: the lowest role that counts (every higher one does too), named token holders, and both in words. */
export interface ApprovalEligibility {
  readonly minRole?: GateRole;
  readonly tokens: readonly string[];
  /** `role admin`, `a promoter or admin, or release-bot`. */
  readonly text: string;
}

export interface ApprovalEvidence {
  readonly required: number;
  readonly eligible: ApprovalEligibility;
  readonly requester?: string;
  /** The approvals that count, one per person, in the order people decided. */
  readonly approvers: readonly ApprovalEntry[];
  /** Rejections by people who may approve: any one blocks the version. */
  readonly rejections: readonly ApprovalEntry[];
  /** Decisions that do not count, each with why (`ignored`). */
  readonly ignored: readonly ApprovalEntry[];
}

export interface WindowEvidence {
  readonly timeZone: string;
  /** The wall clock at evaluation, e.g. `Fri 5 Dec 2025 18:30`. */
  readonly localTime: string;
  readonly open: boolean;
  readonly closedBy?: 'schedule' | 'deny' | 'freeze';
  /** The allow period it is open in, or the deny period that closes it. */
  readonly period?: string;
  readonly freeze?: { readonly reason: string; readonly start: string; readonly end: string };
  /** When it opens (closed) or closes (open). */
  readonly changesAt?: string;
  readonly override?: { readonly by: string; readonly at: string; readonly reason: string };
}

export interface CommitEvidence {
  readonly commit?: string;
  /** The message's first line. */
  readonly subject?: string;
  readonly identity: 'committer' | 'author';
  readonly email?: string;
  readonly skipMarker?: string;
  readonly ticket?: string;
  readonly ticketPattern?: string;
  /** The rules that failed. */
  readonly failed: readonly ('message-unknown' | 'skip-marker' | 'email-unknown' | 'committer' | 'ticket')[];
}

export interface BranchEvidence {
  readonly branch?: string;
  readonly allowed: readonly string[];
  readonly manualOnly: boolean;
  readonly manual: boolean;
  /** The pattern it matched. */
  readonly matched?: string;
}

export interface SignatureResultEvidence {
  readonly verified: boolean;
  readonly reason: string;
  readonly keyId?: string;
  readonly predicateType?: string;
  readonly outcome?: string;
}

export interface SignatureEvidence {
  readonly keys: readonly string[];
  readonly predicateType?: string;
  readonly verifiedBy?: string;
  readonly results: readonly SignatureResultEvidence[];
}

export type SoakVerdict = VerdictBase<'soak', SoakEvidence>;
export type ApprovalVerdict = VerdictBase<'approval', ApprovalEvidence>;
export type WindowVerdict = VerdictBase<'window', WindowEvidence>;
export type CommitVerdict = VerdictBase<'commit', CommitEvidence>;
export type BranchVerdict = VerdictBase<'branch', BranchEvidence>;
export type SignatureVerdict = VerdictBase<'signature', SignatureEvidence>;

/** Each kind's evidence, for code that renders it (`gantry why`, the dashboard). */
export interface GateEvidenceByKind {
  readonly soak: SoakEvidence;
  readonly approval: ApprovalEvidence;
  readonly window: WindowEvidence;
  readonly commit: CommitEvidence;
  readonly branch: BranchEvidence;
  readonly signature: SignatureEvidence;
}

/** One gate's verdict with its evidence: what `gantry why` shows and promotions record. */
export type GateVerdict =
  | SoakVerdict
  | ApprovalVerdict
  | WindowVerdict
  | CommitVerdict
  | BranchVerdict
  | SignatureVerdict;

/** What planning needs of a verdict: the outcome and when it may change, without the words. */
export interface GateDecision {
  readonly gate: string;
  readonly kind: GateKind;
  readonly outcome: GateOutcome;
  readonly changesAt?: string;
}
