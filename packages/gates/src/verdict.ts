import type { GateKind } from './gate-schema.js';

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

export interface ApprovalEvidence {
  readonly required: number;
  /** Who may approve, in words. */
  readonly approvers: string;
  readonly requester?: string;
  readonly counted: readonly ApprovalEntry[];
  readonly ignored: readonly ApprovalEntry[];
  readonly rejectedBy?: ApprovalEntry;
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

type VerdictOf<K extends GateKind> = Extract<GateVerdict, { kind: K }>;

/** A verdict's words and evidence. */
export interface Explanation<K extends GateKind> {
  readonly reason: string;
  readonly unblock?: string;
  readonly evidence: GateEvidenceByKind[K];
}

/**
 * A gate's decision, and how to explain it. Deciding is cheap; the words and evidence
 * cost more than the deciding, so they are put together only for full verdicts
 * (`evaluateGates`), not for bulk planning (`decideGates`). Both come from one
 * evaluation, so they always agree.
 */
export interface Decided<K extends GateKind> {
  readonly gate: string;
  readonly kind: K;
  readonly outcome: GateOutcome;
  readonly changesAtMs: number | undefined;
  readonly explain: () => Explanation<K>;
}

export function decided<K extends GateKind>(
  gate: string,
  kind: K,
  outcome: GateOutcome,
  changesAtMs: number | undefined,
  explain: () => Explanation<K>,
): Decided<K> {
  return { gate, kind, outcome, changesAtMs, explain };
}

/** The full verdict of a decision. */
export function explained<K extends GateKind>(d: Decided<K>): VerdictOf<K> {
  const e = d.explain();
  const changesAt = d.changesAtMs === undefined ? undefined : new Date(d.changesAtMs).toISOString();
  return makeVerdict(d.gate, d.kind, d.outcome, e.reason, e.evidence, e.unblock, changesAt);
}

/** What planning needs of a verdict: the outcome and when it may change, without the words. */
export interface GateDecision {
  readonly gate: string;
  readonly kind: GateKind;
  readonly outcome: GateOutcome;
  readonly changesAt?: string;
}

/** Builds a verdict at once (for the rare paths that need no deciding). */
export function makeVerdict<K extends GateKind>(
  gate: string,
  kind: K,
  outcome: GateOutcome,
  reason: string,
  evidence: GateEvidenceByKind[K],
  unblock?: string,
  changesAt?: string,
): VerdictOf<K> {
  const v: {
    gate: string;
    kind: K;
    outcome: GateOutcome;
    reason: string;
    unblock?: string;
    changesAt?: string;
    evidence: GateEvidenceByKind[K];
  } = { gate, kind, outcome, reason, evidence };
  if (unblock !== undefined) v.unblock = unblock;
  if (changesAt !== undefined) v.changesAt = changesAt;
  return v as unknown as VerdictOf<K>;
}

/** All gates of a phase, together. */
export interface GatesSummary {
  /** `block` if any gate blocks, else `wait` if any waits, else `pass` (also with no gates). */
  readonly outcome: GateOutcome;
  readonly blocking: readonly string[];
  readonly waiting: readonly string[];
  /**
   * The earliest time any verdict may change with time alone, for the caller to evaluate
   * again then; absent when blocked, or when only events (an approval, a verification)
   * can change anything.
   */
  readonly recheckAt?: string;
  /** One line: `waiting for approval, window`, `blocked by branch`. */
  readonly reason: string;
}

/** The phase's outcome from its gates' verdicts (or decisions). */
export function summarize(verdicts: readonly (GateVerdict | GateDecision)[]): GatesSummary {
  const blocking: string[] = [];
  const waiting: string[] = [];
  let earliest = Number.POSITIVE_INFINITY;
  let recheckAt: string | undefined;
  for (const v of verdicts) {
    if (v.outcome === 'block') blocking.push(v.gate);
    else if (v.outcome === 'wait') waiting.push(v.gate);
    if (v.changesAt !== undefined) {
      const t = Date.parse(v.changesAt);
      if (t < earliest) {
        earliest = t;
        recheckAt = v.changesAt;
      }
    }
  }
  if (blocking.length > 0) {
    const also = waiting.length > 0 ? `; waiting for ${waiting.join(', ')}` : '';
    return { outcome: 'block', blocking, waiting, reason: `blocked by ${blocking.join(', ')}${also}` };
  }
  const summary: { -readonly [P in keyof GatesSummary]: GatesSummary[P] } = {
    outcome: waiting.length > 0 ? 'wait' : 'pass',
    blocking,
    waiting,
    reason:
      waiting.length > 0
        ? `waiting for ${waiting.join(', ')}`
        : verdicts.length === 0
          ? 'no gates'
          : 'every gate passes',
  };
  if (recheckAt !== undefined) summary.recheckAt = recheckAt;
  return summary;
}
