import type { GateDecision, GateOutcome, GateVerdict } from './verdict.js';

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
