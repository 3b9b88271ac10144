/**
 * Gate verdicts as the dashboard shows them: the API's typed verdicts (`GateVerdict`, one
 * shape per kind, see docs/gates.md), rendered from their evidence.
 */

import type { ApiApprovalEntry, ApiGateOutcome, ApiGateVerdict } from '@gantry/api';
import { localTime } from '../../shared/format.js';

export type GateOutcome = ApiGateOutcome;

/** One gate's verdict for one version, with the evidence of its kind. */
export type Verdict = ApiGateVerdict;

/** Outcomes as words: the colour only repeats them. */
export const OUTCOME_TEXT: Readonly<Record<GateOutcome, string>> = { pass: 'pass', wait: 'waiting', block: 'blocked' };

const KINDS = new Set<string>(['approval', 'soak', 'window', 'commit', 'branch', 'signature']);
const OUTCOMES = new Set<string>(['pass', 'wait', 'block']);

/**
 * The verdicts of a `why` answer or a promotion. A promotion keeps the verdicts it was judged
 * with; one that is not a verdict of a known kind (a corrupt record) is left out rather than
 * shown wrong.
 */
export function readVerdicts(raw: readonly ApiGateVerdict[] | undefined): Verdict[] {
  return (raw ?? []).filter(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      typeof v.gate === 'string' &&
      KINDS.has(v.kind) &&
      OUTCOMES.has(v.outcome) &&
      typeof v.evidence === 'object' &&
      v.evidence !== null,
  );
}

/** A list from the evidence; an older record without it reads as empty. */
const all = <T>(xs: readonly T[] | undefined): readonly T[] => (Array.isArray(xs) ? xs : []);

/** What the gates mean for the person who asks for the version now (the dialog asks `why` as them). */
export interface RequestOutlook {
  readonly outcome: GateOutcome;
  readonly blocking: readonly Verdict[];
  readonly waiting: readonly Verdict[];
}

export function requestOutlook(verdicts: readonly Verdict[]): RequestOutlook {
  const blocking = verdicts.filter((v) => v.outcome === 'block');
  const waiting = verdicts.filter((v) => v.outcome === 'wait');
  return { outcome: blocking.length > 0 ? 'block' : waiting.length > 0 ? 'wait' : 'pass', blocking, waiting };
}

/**
 * Whether a passing verdict lets the version through only because a person releases it: a
 * branch gate's manual-only branch, or a commit's skip marker (which automation would honour).
 */
export function passesOnlyByHand(v: Verdict): boolean {
  if (v.outcome !== 'pass') return false;
  if (v.kind === 'branch') return v.evidence.manual && v.evidence.manualOnly && v.evidence.matched === undefined;
  if (v.kind === 'commit') return v.evidence.skipMarker !== undefined;
  return false;
}

const WAITS_FOR: Readonly<Record<string, string>> = {
  approval: 'approval',
  soak: 'soak time',
  window: 'the change window',
  signature: 'the signature check',
};

/** The promote button's words when gates wait: `Request (waits for approval)`. */
export function requestLabel(waiting: readonly Verdict[]): string {
  const kinds = [...new Set(waiting.map((v) => WAITS_FOR[v.kind] ?? v.gate))];
  kinds.sort((a, b) => (a === 'approval' ? -1 : b === 'approval' ? 1 : 0));
  return `Request (waits for ${kinds.join(' and ')})`;
}

/** Why the promote button is disabled: each blocking gate and its reason. */
export function blockedText(blocking: readonly Verdict[]): string {
  return `Blocked: ${blocking.map((v) => `${v.gate}: ${v.reason}`).join('; ')}`;
}

function person(e: ApiApprovalEntry): string {
  return `${e.by} (${e.role})${e.comment ? `: “${e.comment}”` : ''}`;
}

/** What a gate looked at, in a few short lines (who approved, the window's clock, the commit, the key). */
export function evidenceLines(v: Verdict): string[] {
  const lines: string[] = [];
  if (v.evidence.notEvaluated) return [`not evaluated: ${v.evidence.notEvaluated}`];
  switch (v.kind) {
    case 'approval': {
      const e = v.evidence;
      lines.push(`needs ${e.required} from ${e.eligible?.text || 'the approvers'}`);
      for (const a of all(e.approvers)) lines.push(`approved by ${person(a)}`);
      for (const r of all(e.rejections)) lines.push(`rejected by ${person(r)}`);
      for (const i of all(e.ignored)) lines.push(`not counted: ${i.by} (${i.ignored ?? 'ignored'})`);
      break;
    }
    case 'window': {
      const e = v.evidence;
      const clock = [e.localTime, e.timeZone].filter(Boolean).join(' ');
      if (clock) lines.push(`${clock}: ${e.open ? 'open' : 'closed'}`);
      if (e.freeze) lines.push(`freeze: ${e.freeze.reason} (until ${localTime(e.freeze.end)})`);
      if (e.period) lines.push(`${e.closedBy === 'deny' ? 'denied period' : 'period'}: ${e.period}`);
      if (e.override) lines.push(`overridden by ${e.override.by}: ${e.override.reason}`);
      break;
    }
    case 'commit': {
      const e = v.evidence;
      if (e.commit || e.subject)
        lines.push(`${e.commit ? e.commit.slice(0, 8) : 'commit'}${e.subject ? ` “${e.subject}”` : ''}`);
      if (e.email) lines.push(`${e.identity} ${e.email}`);
      if (e.ticket) lines.push(`ticket ${e.ticket}`);
      break;
    }
    case 'branch': {
      const e = v.evidence;
      lines.push(`built from ${e.branch ?? '(unknown branch)'}; allowed: ${all(e.allowed).join(', ') || '—'}`);
      break;
    }
    case 'signature': {
      const e = v.evidence;
      if (e.verifiedBy) lines.push(`verified with key ${e.verifiedBy}`);
      for (const r of all(e.results))
        lines.push(`${r.verified ? 'valid' : 'invalid'}${r.keyId ? ` (${r.keyId})` : ''}: ${r.reason}`);
      break;
    }
    case 'soak': {
      for (const u of all(v.evidence.upstreams))
        lines.push(`${u.phase}: ${u.state}${u.verifiedAt ? ` since ${localTime(u.verifiedAt)}` : ''}`);
      break;
    }
  }
  return lines;
}

/** All gates in one line, as the server sums them up: `every gate passes`, `waiting for two-admins`, `blocked by branch`. */
export function gatesSummary(verdicts: readonly Verdict[]): string {
  const blocking = verdicts.filter((v) => v.outcome === 'block').map((v) => v.gate);
  const waiting = verdicts.filter((v) => v.outcome === 'wait').map((v) => v.gate);
  if (blocking.length > 0)
    return `blocked by ${blocking.join(', ')}${waiting.length > 0 ? `; waiting for ${waiting.join(', ')}` : ''}`;
  if (waiting.length > 0) return `waiting for ${waiting.join(', ')}`;
  return verdicts.length === 0
    ? 'no gates'
    : verdicts.length === 1
      ? 'the gate passed'
      : `all ${verdicts.length} gates passed`;
}
