import type { ApiMe } from '@gantry/client';

type Role = ApiMe['role'];

const RANK: Readonly<Record<Role, number>> = { viewer: 0, ci: 1, promoter: 2, admin: 3 };

const globMatches = (pattern: string, name: string) =>
  pattern === '*' || new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name);

/** The least role that may promote a phase: the first matching rule, else promoter (as the server decides). */
export function roleToPromote(rules: ApiMe['permissions'], pipeline: string, phase: string): Role {
  return rules.find((r) => globMatches(r.pipeline, pipeline) && globMatches(r.phase, phase))?.role ?? 'promoter';
}

/**
 * Why the caller's role may not act on a phase (`doing` it: "Promoting", "Re-running
 * verification of"), or undefined when it may: the same role that may promote into the phase.
 */
export function roleBlockedReason(
  me: ApiMe | undefined,
  pipeline: string,
  phase: string,
  doing: string,
): string | undefined {
  if (!me) return undefined;
  const need = roleToPromote(me.permissions, pipeline, phase);
  if (RANK[me.role] >= RANK[need]) return undefined;
  return `${doing} ${pipeline}/${phase} needs role ${need}; token "${me.name}" has ${me.role}`;
}

/**
 * Why the caller may not promote (or roll back) a phase, or undefined when they may. A phase
 * Gantry does not write (a registry) cannot be promoted by anyone.
 */
export function promoteBlockedReason(
  me: ApiMe | undefined,
  pipeline: string,
  phase: { phase: string; writable: boolean },
): string | undefined {
  if (!phase.writable) return `${phase.phase} is read by Gantry, not written: it is a source of versions`;
  return roleBlockedReason(me, pipeline, phase.phase, 'Promoting');
}
