import type { ApprovalGate, CompiledApproval } from './approval-schema.js';
import type { EvaluationContext } from './evaluation-context.js';
import { iso, shortDigest } from './evaluation-context.js';
import type { ApprovalRecord } from './facts.js';
import { instantOf } from './facts.js';
import { formatSpan } from './relative-time.js';
import { roleRank } from './roles.js';
import type { Decided } from './decision.js';
import type { ApprovalEntry, ApprovalEvidence, GateOutcome } from './verdict.js';
import { decided } from './decision.js';

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five'];

/** What one recorded decision amounts to. */
type Standing = 'other-version' | 'no-time' | 'not-approver' | 'rejects' | 'requester' | 'expired' | 'counts';

interface Decision {
  readonly r: ApprovalRecord;
  readonly at: number;
  readonly standing: Standing;
}

/**
 * Each record's standing: records for another digest or without a time are set aside;
 * of the rest, only each person's latest decision counts (a later approval replaces a
 * rejection), in the order people first decided.
 */
function decisions(g: ApprovalGate, compiled: CompiledApproval, c: EvaluationContext): Decision[] {
  const digest = c.facts.version.digest;
  const requester = c.facts.request.requester;
  const out: Decision[] = [];
  const latest = new Map<string, { r: ApprovalRecord; at: number }>();
  for (const r of c.facts.approvals ?? []) {
    if (r.digest !== digest) {
      out.push({ r, at: 0, standing: 'other-version' });
      continue;
    }
    const at = instantOf(r.at);
    if (at === undefined) {
      out.push({ r, at: 0, standing: 'no-time' });
      continue;
    }
    const before = latest.get(r.by);
    if (before === undefined || at >= before.at) latest.set(r.by, { r, at });
  }
  for (const { r, at } of latest.values()) {
    let standing: Standing;
    if (!(roleRank(r.role) >= compiled.minRank || compiled.tokens.has(r.by))) standing = 'not-approver';
    else if (r.decision === 'reject') standing = 'rejects';
    else if (requester !== undefined && r.by === requester) standing = 'requester';
    else if (g.expiresAfter && at + g.expiresAfter.ms <= c.now) standing = 'expired';
    else standing = 'counts';
    out.push({ r, at, standing });
  }
  return out;
}

/**
 * `approval`: counts each person's latest decision on this digest. A rejection by anyone
 * who may approve blocks; the requester's approval never counts; expired ones neither.
 */
export function evaluateApproval(
  g: ApprovalGate,
  compiled: CompiledApproval,
  c: EvaluationContext,
): Decided<'approval'> {
  const all = decisions(g, compiled, c);
  let counted = 0;
  let rejected = false;
  const expiries: number[] = [];
  for (const d of all) {
    if (d.standing === 'rejects') rejected = true;
    else if (d.standing === 'counts') {
      counted++;
      if (g.expiresAfter) expiries.push(d.at + g.expiresAfter.ms);
    }
  }
  const outcome: GateOutcome = rejected ? 'block' : counted >= g.count ? 'pass' : 'wait';
  let changesAt: number | undefined;
  if (outcome === 'pass' && expiries.length >= g.count) {
    // it stops passing when the count-th newest approval expires
    expiries.sort((a, b) => b - a);
    changesAt = expiries[g.count - 1];
  }
  return decided(g.name, 'approval', outcome, changesAt, () => explain(g, compiled, c, all));
}

function entry(r: ApprovalRecord, ignored?: string, expiresAt?: string): ApprovalEntry {
  const e: { -readonly [P in keyof ApprovalEntry]: ApprovalEntry[P] } = { by: r.by, role: r.role, at: r.at };
  if (r.comment) e.comment = r.comment;
  if (expiresAt !== undefined) e.expiresAt = expiresAt;
  if (ignored !== undefined) e.ignored = ignored;
  return e;
}

function explain(g: ApprovalGate, compiled: CompiledApproval, c: EvaluationContext, all: readonly Decision[]) {
  const requester = c.facts.request.requester;
  const counted: ApprovalEntry[] = [];
  const ignored: ApprovalEntry[] = [];
  const rejections: ApprovalEntry[] = [];
  for (const { r, at, standing } of all) {
    const expiresAt = g.expiresAfter ? iso(at + g.expiresAfter.ms) : undefined;
    if (standing === 'counts') counted.push(entry(r, undefined, expiresAt));
    else if (standing === 'rejects') rejections.push(entry(r));
    else if (standing === 'other-version') ignored.push(entry(r, `for another version (${shortDigest(r.digest)})`));
    else if (standing === 'no-time') ignored.push(entry(r, 'its time is not known'));
    else if (standing === 'not-approver') ignored.push(entry(r, `${r.by} (${r.role}) is not among the approvers`));
    else if (standing === 'requester') ignored.push(entry(r, `${r.by} requested this promotion`));
    else ignored.push(entry(r, `expired at ${expiresAt}`));
  }
  const evidence: { -readonly [P in keyof ApprovalEvidence]: ApprovalEvidence[P] } = {
    required: g.count,
    eligible: compiled.eligible,
    approvers: counted,
    rejections,
    ignored,
  };
  if (requester !== undefined) evidence.requester = requester;
  const rejectedBy = rejections[0];
  if (rejectedBy) {
    const ago = formatSpan(c.now - (instantOf(rejectedBy.at) ?? c.now));
    const more = rejections.length > 1 ? ` (and ${rejections.length - 1} more)` : '';
    const who = rejections.map((e) => e.by).join(' and ');
    return {
      reason: `rejected by ${rejectedBy.by} (${rejectedBy.role}) ${ago} ago${rejectedBy.comment ? `: ${rejectedBy.comment}` : ''}${more}`,
      unblock: `${who} approve${rejections.length === 1 ? 's' : ''} it after all, or a newer version is released`,
      evidence,
    };
  }
  const names = counted.map((e) => `${e.by} (${e.role})`).join(', ');
  if (counted.length >= g.count) return { reason: `approved by ${names}`, evidence };
  const missing = g.count - counted.length;
  const self = requester !== undefined && c.manual ? ` (not ${requester}, who requested it)` : '';
  return {
    reason: `${counted.length} of ${g.count} approval${g.count === 1 ? '' : 's'}${counted.length > 0 ? `: ${names}` : ''}`,
    unblock: `${NUMBER_WORDS[missing] ?? missing} more approval${missing === 1 ? '' : 's'} from ${compiled.approvers}${self}`,
    evidence,
  };
}
