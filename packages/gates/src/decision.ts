import type { GateKind } from './gate-schema.js';
import type { GateEvidenceByKind, GateOutcome, GateVerdict } from './verdict.js';

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
