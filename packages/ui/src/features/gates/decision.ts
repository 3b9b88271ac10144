import type { ApiMe } from '@gantry/client';
import type { ApiPromotion } from '@gantry/api';
import type { Verdict } from './gate-format.js';

type Role = ApiMe['role'];
// a ci token's decision never counts (gates rank it below every approver role, as the server does)
const RANK: Readonly<Record<Role, number>> = { ci: -1, viewer: 0, promoter: 1, admin: 2 };
const ROLES = Object.keys(RANK) as Role[];

/** Who may approve, read back from the gate's words (`role admin`, `a promoter or admin`, `ann or bob`). */
export interface Approvers {
  /** The lowest role that counts; undefined when only named token holders do. */
  readonly minRole?: Role;
  readonly tokens: readonly string[];
}

export function parseApprovers(words: string): Approvers {
  let minRole: Role | undefined;
  const tokens: string[] = [];
  for (const part of words.split(', or ')) {
    const role = /^role (\w+)$/.exec(part)?.[1];
    const roles = /^a (\w+(?: or \w+)*)$/.exec(part)?.[1]?.split(' or ');
    if (role && ROLES.includes(role as Role)) minRole = role as Role;
    else if (roles?.every((r) => ROLES.includes(r as Role))) minRole = roles[0] as Role;
    else tokens.push(...part.split(' or ').filter(Boolean));
  }
  return { ...(minRole ? { minRole } : {}), tokens };
}

/** The approval gates a decision can still move: those that do not pass yet. */
export function openApprovals(verdicts: readonly Verdict[]): Verdict[] {
  return verdicts.filter((v) => v.kind === 'approval' && v.outcome !== 'pass');
}

const mayApprove = (me: ApiMe, v: Verdict): boolean => {
  const who = parseApprovers(typeof v.evidence.approvers === 'string' ? v.evidence.approvers : '');
  return (who.minRole !== undefined && RANK[me.role] >= RANK[who.minRole]) || who.tokens.includes(me.name);
};

/** Why the signed-in person's Approve / Reject would not count, or undefined when it would. */
export interface DecisionBlocked {
  readonly approve?: string;
  readonly reject?: string;
}

/**
 * As the approval gate counts decisions: only its approvers' count, the requester's own approval
 * never does, and a second approval by the same person adds nothing. Anyone who may approve may
 * reject, the requester too. An unknown caller (a server without /me) is left to the server.
 */
export function decisionBlockedReason(
  me: ApiMe | undefined,
  promotion: Pick<ApiPromotion, 'trigger'>,
  verdicts: readonly Verdict[],
): DecisionBlocked {
  const gates = openApprovals(verdicts);
  if (!me || gates.length === 0) return {};
  const mine = gates.filter((v) => mayApprove(me, v));
  if (mine.length === 0) {
    const who = [...new Set(gates.map((v) => String(v.evidence.approvers ?? 'its approvers')))].join('; ');
    const reason = `Deciding needs ${who}; token "${me.name}" has ${me.role}`;
    return { approve: reason, reject: reason };
  }
  const requester = promotion.trigger.kind === 'person' ? promotion.trigger.actor : undefined;
  if (requester === me.name)
    return { approve: `${me.name} requested this promotion: their own approval does not count` };
  const counted = (v: Verdict) =>
    Array.isArray(v.evidence.counted) && v.evidence.counted.some((c) => (c as { by?: unknown } | null)?.by === me.name);
  if (mine.every(counted)) return { approve: `${me.name} approved this version already` };
  return {};
}
