import type { ApiMe } from '@gantry/client';

type Role = ApiMe['role'];

const RANK: Readonly<Record<Role, number>> = { viewer: 0, promoter: 1, admin: 2 };

const globMatches = (pattern: string, name: string) =>
  pattern === '*' || new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name);

/** The least role that may promote a phase: the first matching rule, else promoter (as the server decides). */
export function roleToPromote(rules: ApiMe['permissions'], pipeline: string, phase: string): Role {
  return rules.find((r) => globMatches(r.pipeline, pipeline) && globMatches(r.phase, phase))?.role ?? 'promoter';
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
  if (!me) return undefined;
  const need = roleToPromote(me.permissions, pipeline, phase.phase);
  if (RANK[me.role] >= RANK[need]) return undefined;
  return `Promoting ${pipeline}/${phase.phase} needs role ${need}; token "${me.name}" has ${me.role}`;
}
