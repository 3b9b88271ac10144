import type { ApprovalGate, CompiledApproval } from './approval-schema.js';
import { describeApprovers } from './approval-schema.js';
import type { EvaluationContext } from './evaluation-context.js';
import { iso, shortDigest } from './evaluation-context.js';
import type { ApprovalRecord } from './facts.js';
import { instantOf } from './facts.js';
import { formatSpan } from './relative-time.js';
import { roleRank } from './roles.js';
import type { ApprovalEntry, ApprovalVerdict } from './verdict.js';

function entry(r: ApprovalRecord, extra: Partial<ApprovalEntry> = {}): ApprovalEntry {
  return { by: r.by, role: r.role, at: r.at, ...(r.comment ? { comment: r.comment } : {}), ...extra };
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
      ignored.push(entry(r, { ignored: `for another version (${shortDigest(r.digest)})` }));
      continue;
    }
    const at = instantOf(r.at);
    if (at === undefined) {
      ignored.push(entry(r, { ignored: 'its time is not known' }));
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
      ignored.push(entry(r, { ignored: `${r.by} (${r.role}) is not among the approvers` }));
    } else if (r.decision === 'reject') {
      rejectedBy ??= entry(r);
    } else if (requester !== undefined && r.by === requester) {
      ignored.push(entry(r, { ignored: `${r.by} requested this promotion` }));
    } else if (g.expiresAfter && at + g.expiresAfter.ms <= c.now) {
      ignored.push(entry(r, { ignored: `expired at ${iso(at + g.expiresAfter.ms)}` }));
    } else {
      const expiresAt = g.expiresAfter ? at + g.expiresAfter.ms : undefined;
      if (expiresAt !== undefined) expiries.push(expiresAt);
      counted.push(entry(r, expiresAt !== undefined ? { expiresAt: iso(expiresAt) } : {}));
    }
  }
  const approvers = describeApprovers(g);
  const evidence = {
    required: g.count,
    approvers,
    ...(requester !== undefined ? { requester } : {}),
    counted,
    ignored,
    ...(rejectedBy ? { rejectedBy } : {}),
  };
  const base = { gate: g.name, kind: 'approval' as const, evidence };
  if (rejectedBy) {
    const ago = formatSpan(c.now - (instantOf(rejectedBy.at) ?? c.now));
    return {
      ...base,
      outcome: 'block',
      reason: `rejected by ${rejectedBy.by} (${rejectedBy.role}) ${ago} ago${rejectedBy.comment ? `: ${rejectedBy.comment}` : ''}`,
      unblock: `${rejectedBy.by} approves it after all, or a newer version is released`,
    };
  }
  const names = counted.map((e) => `${e.by} (${e.role})`).join(', ');
  if (counted.length >= g.count) {
    // it stops passing when the count-th newest approval expires
    expiries.sort((a, b) => b - a);
    const until = expiries.length >= g.count ? expiries[g.count - 1] : undefined;
    return {
      ...base,
      outcome: 'pass',
      reason: `approved by ${names}`,
      ...(until !== undefined ? { changesAt: iso(until) } : {}),
    };
  }
  const missing = g.count - counted.length;
  const self = requester !== undefined && c.manual ? ` (not ${requester}, who requested it)` : '';
  return {
    ...base,
    outcome: 'wait',
    reason: `${counted.length} of ${g.count} approval${g.count === 1 ? '' : 's'}${counted.length > 0 ? `: ${names}` : ''}`,
    unblock: `${NUMBER_WORDS[missing] ?? missing} more approval${missing === 1 ? '' : 's'} from ${approvers}${self}`,
  };
}
