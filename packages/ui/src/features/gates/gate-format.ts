/**
 * Gate verdicts as the dashboard shows them. The API hands verdicts over as plain records
 * (see docs/gates.md): they are read here once, defensively, into one shape the views use.
 */

import { localTime } from '../../shared/format.js';

export type GateOutcome = 'pass' | 'wait' | 'block';

/** One gate's verdict for one version. */
export interface Verdict {
  readonly gate: string;
  /** `approval`, `soak`, `window`, `commit`, `branch`, `signature`. */
  readonly kind: string;
  readonly outcome: GateOutcome;
  readonly reason: string;
  /** What would unblock it, in words; absent when it passes. */
  readonly unblock?: string;
  /** When the verdict may change with time alone. */
  readonly changesAt?: string;
  readonly evidence: Readonly<Record<string, unknown>>;
}

/** Outcomes as words: the colour only repeats them. */
export const OUTCOME_TEXT: Readonly<Record<GateOutcome, string>> = { pass: 'pass', wait: 'waiting', block: 'blocked' };

const OUTCOMES = new Set<string>(['pass', 'wait', 'block']);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(rec) : []);

/** The verdicts of a `why` answer or a promotion; records that are not verdicts are left out. */
export function readVerdicts(raw: readonly Readonly<Record<string, unknown>>[] | undefined): Verdict[] {
  const out: Verdict[] = [];
  for (const r of raw ?? []) {
    const gate = str(r.gate);
    const outcome = str(r.outcome);
    if (gate === undefined || outcome === undefined || !OUTCOMES.has(outcome)) continue;
    const unblock = str(r.unblock);
    const changesAt = str(r.changesAt);
    out.push({
      gate,
      kind: str(r.kind) ?? 'gate',
      outcome: outcome as GateOutcome,
      reason: str(r.reason) ?? '',
      ...(unblock ? { unblock } : {}),
      ...(changesAt ? { changesAt } : {}),
      evidence: rec(r.evidence),
    });
  }
  return out;
}

/**
 * Whether a verdict blocks automatic promotion only: a branch gate with `manualOnly`, or a skip
 * marker in the commit message, both of which pass when a person releases the version by hand.
 * `why` judges a version as automation would; the promote dialog is a person asking.
 */
export function passesByHand(v: Verdict): boolean {
  if (v.outcome !== 'block' || v.evidence.manual === true) return false;
  if (v.kind === 'branch') return v.evidence.manualOnly === true && typeof v.evidence.branch === 'string';
  if (v.kind === 'commit') {
    const failed = Array.isArray(v.evidence.failed) ? v.evidence.failed : [];
    return failed.length === 1 && failed[0] === 'skip-marker';
  }
  return false;
}

/** What the gates mean for a person who asks for the version now. */
export interface RequestOutlook {
  readonly outcome: GateOutcome;
  readonly blocking: readonly Verdict[];
  readonly waiting: readonly Verdict[];
}

export function requestOutlook(verdicts: readonly Verdict[]): RequestOutlook {
  const blocking = verdicts.filter((v) => v.outcome === 'block' && !passesByHand(v));
  const waiting = verdicts.filter((v) => v.outcome === 'wait');
  return { outcome: blocking.length > 0 ? 'block' : waiting.length > 0 ? 'wait' : 'pass', blocking, waiting };
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

function person(e: Record<string, unknown>): string {
  const by = str(e.by) ?? 'someone';
  const role = str(e.role);
  const comment = str(e.comment);
  return `${by}${role ? ` (${role})` : ''}${comment ? `: “${comment}”` : ''}`;
}

/** What a gate looked at, in a few short lines (who approved, the window's clock, the commit, the key). */
export function evidenceLines(v: Verdict): string[] {
  const e = v.evidence;
  const lines: string[] = [];
  const notEvaluated = str(e.notEvaluated);
  if (notEvaluated) return [`not evaluated: ${notEvaluated}`];
  switch (v.kind) {
    case 'approval': {
      const required = typeof e.required === 'number' ? e.required : undefined;
      const approvers = str(e.approvers);
      if (required !== undefined) lines.push(`needs ${required} from ${approvers ?? 'the approvers'}`);
      for (const c of list(e.counted)) lines.push(`approved by ${person(c)}`);
      const rejected = e.rejectedBy === undefined ? undefined : rec(e.rejectedBy);
      if (rejected) lines.push(`rejected by ${person(rejected)}`);
      for (const i of list(e.ignored))
        lines.push(`not counted: ${str(i.by) ?? 'someone'} (${str(i.ignored) ?? 'ignored'})`);
      break;
    }
    case 'window': {
      const clock = [str(e.localTime), str(e.timeZone)].filter(Boolean).join(' ');
      if (clock) lines.push(`${clock}: ${e.open === true ? 'open' : 'closed'}`);
      const freeze = e.freeze === undefined ? undefined : rec(e.freeze);
      if (freeze) lines.push(`freeze: ${str(freeze.reason) ?? ''} (until ${localTime(str(freeze.end) ?? '')})`);
      const period = str(e.period);
      if (period) lines.push(`${e.closedBy === 'deny' ? 'denied period' : 'period'}: ${period}`);
      const override = e.override === undefined ? undefined : rec(e.override);
      if (override) lines.push(`overridden by ${str(override.by) ?? 'an admin'}: ${str(override.reason) ?? ''}`);
      break;
    }
    case 'commit': {
      const commit = str(e.commit);
      const subject = str(e.subject);
      if (commit || subject) lines.push(`${commit ? commit.slice(0, 8) : 'commit'}${subject ? ` “${subject}”` : ''}`);
      const email = str(e.email);
      if (email) lines.push(`${str(e.identity) ?? 'committer'} ${email}`);
      const ticket = str(e.ticket);
      if (ticket) lines.push(`ticket ${ticket}`);
      break;
    }
    case 'branch': {
      const allowed = Array.isArray(e.allowed) ? e.allowed.join(', ') : '';
      lines.push(`built from ${str(e.branch) ?? '(unknown branch)'}; allowed: ${allowed || '—'}`);
      break;
    }
    case 'signature': {
      const by = str(e.verifiedBy);
      if (by) lines.push(`verified with key ${by}`);
      for (const r of list(e.results)) {
        const key = str(r.keyId);
        lines.push(`${r.verified === true ? 'valid' : 'invalid'}${key ? ` (${key})` : ''}: ${str(r.reason) ?? ''}`);
      }
      break;
    }
    case 'soak': {
      for (const u of list(e.upstreams)) {
        const at = str(u.verifiedAt);
        lines.push(`${str(u.phase) ?? 'upstream'}: ${str(u.state) ?? '?'}${at ? ` since ${localTime(at)}` : ''}`);
      }
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
