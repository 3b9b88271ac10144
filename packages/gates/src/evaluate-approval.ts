import type { ApprovalGate, CompiledApproval } from './approval-schema.js';
import type { EvaluationContext } from './evaluation-context.js';
import { iso, shortDigest } from './evaluation-context.js';
import type { ApprovalRecord } from './facts.js';
import { instantOf } from './facts.js';
import { formatSpan } from './relative-time.js';
import { roleRank } from './roles.js';
import type { ApprovalEntry, ApprovalEvidence, ApprovalVerdict } from './verdict.js';
import { makeVerdict } from './verdict.js';

function entry(r: ApprovalRecord, ignored?: string, expiresAt?: string): ApprovalEntry {
  const e: { -readonly [P in keyof ApprovalEntry]: ApprovalEntry[P] } = { by: r.by, role: r.role, at: r.at };
  if (r.comment) e.comment = r.comment;
  if (expiresAt !== undefined) e.expiresAt = expiresAt;
  if (ignored !== undefined) e.ignored = ignored;
  return e;
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five'];

/**
 * `approval`: counts each person's latest decision on this digest. A rejection by anyone
 * who may approve blocks; the requester's approval never counts; expired ones neither.
 */
export function evaluateApproval(g: ApprovalGate, compiled: CompiledApproval, c: EvaluationContext): ApprovalVerdict {
  const requester = c.facts.request.requester;
  const digest = c.facts.version.digest;
  const mayApprove = (r: ApprovalRecord) => roleRank(r.role) >= compiled.minRank || compiled.tokens.has(r.by);
  const ignored: ApprovalEntry[] = [];
  // each person's latest decision on this version (a later approval replaces a rejection)
  const latest = new Map<string, { r: ApprovalRecord; at: number }>();
  for (const r of c.facts.approvals ?? []) {
    if (r.digest !== digest) {
      ignored.push(entry(r, `for another version (${shortDigest(r.digest)})`));
      continue;
    }
    const at = instantOf(r.at);
    if (at === undefined) {
      ignored.push(entry(r, 'its time is not known'));
      continue;
    }
    const before = latest.get(r.by);
    if (before === undefined || at >= before.at) latest.set(r.by, { r, at });
  }
  const counted: ApprovalEntry[] = [];
  const expiries: number[] = [];
  let rejectedBy: ApprovalEntry | undefined;
  for (const { r, at } of latest.values()) {
    if (!mayApprove(r)) {
      ignored.push(entry(r, `${r.by} (${r.role}) is not among the approvers`));
    } else if (r.decision === 'reject') {
      rejectedBy ??= entry(r);
    } else if (requester !== undefined && r.by === requester) {
      ignored.push(entry(r, `${r.by} requested this promotion`));
    } else if (g.expiresAfter && at + g.expiresAfter.ms <= c.now) {
      ignored.push(entry(r, `expired at ${iso(at + g.expiresAfter.ms)}`));
    } else {
      const expiresAt = g.expiresAfter ? at + g.expiresAfter.ms : undefined;
      if (expiresAt !== undefined) expiries.push(expiresAt);
      counted.push(entry(r, undefined, expiresAt !== undefined ? iso(expiresAt) : undefined));
    }
  }
  const approvers = compiled.approvers;
  const evidence: { -readonly [P in keyof ApprovalEvidence]: ApprovalEvidence[P] } = {
    required: g.count,
    approvers,
    counted,
    ignored,
  };
  if (requester !== undefined) evidence.requester = requester;
  if (rejectedBy) {
    evidence.rejectedBy = rejectedBy;
    const ago = formatSpan(c.now - (instantOf(rejectedBy.at) ?? c.now));
    const reason = `rejected by ${rejectedBy.by} (${rejectedBy.role}) ${ago} ago${rejectedBy.comment ? `: ${rejectedBy.comment}` : ''}`;
    const unblock = `${rejectedBy.by} approves it after all, or a newer version is released`;
    return makeVerdict(g.name, 'approval', 'block', reason, evidence, unblock);
  }
  const names = counted.map((e) => `${e.by} (${e.role})`).join(', ');
  if (counted.length >= g.count) {
    // it stops passing when the count-th newest approval expires
    expiries.sort((a, b) => b - a);
    const until = expiries.length >= g.count ? expiries[g.count - 1] : undefined;
    const changesAt = until === undefined ? undefined : iso(until);
    return makeVerdict(g.name, 'approval', 'pass', `approved by ${names}`, evidence, undefined, changesAt);
  }
  const missing = g.count - counted.length;
  const self = requester !== undefined && c.manual ? ` (not ${requester}, who requested it)` : '';
  const reason = `${counted.length} of ${g.count} approval${g.count === 1 ? '' : 's'}${counted.length > 0 ? `: ${names}` : ''}`;
  const unblock = `${NUMBER_WORDS[missing] ?? missing} more approval${missing === 1 ? '' : 's'} from ${approvers}${self}`;
  return makeVerdict(g.name, 'approval', 'wait', reason, evidence, unblock);
}
