import type { ApiGateVerdictOf, ApiPromotion } from '@gantry/api';
import type { ApiMe } from '@gantry/client';
import type { Verdict } from './gate-format.js';

type Role = ApiMe['role'];
type ApprovalVerdict = ApiGateVerdictOf<'approval'>;
// a ci token's decision never counts (gates rank it below every approver role, as the server does)
const RANK: Readonly<Record<Role, number>> = { ci: -1, viewer: 0, promoter: 1, admin: 2 };

/** The approval gates a decision can still move: those that do not pass yet. */
export function openApprovals(verdicts: readonly Verdict[]): ApprovalVerdict[] {
  return verdicts.filter((v): v is ApprovalVerdict => v.kind === 'approval' && v.outcome !== 'pass');
}

/** As the gate counts approvers: its lowest role or a higher one, or a named token holder. */
const mayApprove = (me: ApiMe, v: ApprovalVerdict): boolean => {
  const who = v.evidence.eligible;
  if (!who) return false;
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
    const who = [...new Set(gates.map((v) => v.evidence.eligible?.text || 'its approvers'))].join('; ');
    const reason = `Deciding needs ${who}; token "${me.name}" has ${me.role}`;
    return { approve: reason, reject: reason };
  }
  const requester = promotion.trigger.kind === 'person' ? promotion.trigger.actor : undefined;
  if (requester === me.name)
    return { approve: `${me.name} requested this promotion: their own approval does not count` };
  const counted = (v: ApprovalVerdict) =>
    Array.isArray(v.evidence.approvers) && v.evidence.approvers.some((a) => a.by === me.name);
  if (mine.every(counted)) return { approve: `${me.name} approved this version already` };
  return {};
}
