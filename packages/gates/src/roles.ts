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

/** The rank of a role; an unknown role (a newer server's, a corrupt record) ranks below all. */
export function roleRank(role: string): number {
  switch (role) {
    case 'viewer':
      return 0;
    case 'promoter':
      return 1;
    case 'admin':
      return 2;
    default:
      return -1;
  }
}
