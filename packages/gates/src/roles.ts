import { z } from 'zod';

/**
 * The roles of API tokens (the same three as the store's `tokenRoleSchema`; gates do not
 * import the store). Ranked like the server ranks them: an admin may do what a promoter
 * may, a promoter what a viewer may.
 */
export const GATE_ROLES = ['viewer', 'promoter', 'admin'] as const;
export type GateRole = (typeof GATE_ROLES)[number];

export const gateRoleSchema = z.enum(GATE_ROLES, {
  error: (issue) =>
    typeof issue.input === 'string'
      ? `unknown role "${issue.input}"; roles are ${GATE_ROLES.join(', ')}`
      : `a role: ${GATE_ROLES.join(', ')}`,
});

const RANK: Readonly<Record<GateRole, number>> = { viewer: 0, promoter: 1, admin: 2 };

/** The rank of a role; an unknown role (a newer server's, a corrupt record) ranks below all. */
export function roleRank(role: string): number {
  return Object.hasOwn(RANK, role) ? RANK[role as GateRole] : -1;
}
