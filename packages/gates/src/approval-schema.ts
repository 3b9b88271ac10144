import { z } from 'zod';
import { remember } from './compiled.js';
import { durationSchema } from './duration-schema.js';
import { gateNameSchema } from './gate-name.js';
import type { GateRole } from './roles.js';
import { GATE_ROLES, gateRoleSchema, roleRank } from './roles.js';
import type { ApprovalEligibility } from './verdict.js';

/** Who may approve, ready to ask: the lowest role that counts, and the named holders. */
export interface CompiledApproval {
  /** Approvers of this role or a higher one count; `Infinity` when no role is given. */
  readonly minRank: number;
  readonly tokens: ReadonlySet<string>;
  /** Who may approve, in words (`describeApprovers`). */
  readonly approvers: string;
  /** Who may approve, as the evidence carries it. */
  readonly eligible: ApprovalEligibility;
}

/**
 * `approval`: `count` people approve this exact version (digest) for the phase, each
 * holding one of `roles` (or a higher role: admin > promoter > viewer) or named in
 * `tokens`. The requester's own approval never counts; a rejection by anyone who may
 * approve blocks the version. Approvals older than `expiresAfter` no longer count.
 */
export const approvalGateSchema = z
  .strictObject({
    kind: z.literal('approval'),
    name: gateNameSchema.optional(),
    count: z
      .number()
      .int()
      .min(1, 'at least 1 approval')
      .max(100)
      .default(1)
      .describe('Approvals needed, from different people (1).'),
    roles: z
      .array(gateRoleSchema)
      .default([])
      .describe('Approvers holding one of these roles, or a higher one, count (viewer < promoter < admin).'),
    tokens: z
      .array(z.string().trim().min(1))
      .default([])
      .describe('Approvers with these token names count, whatever their role.'),
    expiresAfter: durationSchema.optional().describe('An approval older than this no longer counts, e.g. 24h.'),
  })
  .transform((g, ctx) => {
    if (g.roles.length === 0 && g.tokens.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['roles'],
        message: 'say who may approve: roles (e.g. [admin]) and/or tokens (names of token holders)',
        input: g,
      });
      return z.NEVER;
    }
    const tokens = new Set(g.tokens);
    if (g.roles.length === 0 && g.count > tokens.size) {
      ctx.addIssue({
        code: 'custom',
        path: ['count'],
        message: `${g.count} approvals can never come from ${tokens.size} named token holder${tokens.size === 1 ? '' : 's'}`,
        input: g.count,
      });
      return z.NEVER;
    }
    if (g.expiresAfter && g.expiresAfter.ms <= 0) {
      ctx.addIssue({ code: 'custom', path: ['expiresAfter'], message: 'a duration longer than 0, e.g. 24h', input: g });
      return z.NEVER;
    }
    const minRank = g.roles.length > 0 ? Math.min(...g.roles.map(roleRank)) : Number.POSITIVE_INFINITY;
    const minRole = GATE_ROLES.find((r) => roleRank(r) === minRank);
    const approvers = describeApprovers(g);
    const compiled: CompiledApproval = {
      minRank,
      tokens,
      approvers,
      eligible: { ...(minRole ? { minRole } : {}), tokens: [...tokens], text: approvers },
    };
    return remember({ ...g, name: g.name ?? 'approval' }, compiled);
  });

export type ApprovalGateInput = z.input<typeof approvalGateSchema>;
export type ApprovalGate = z.output<typeof approvalGateSchema>;

/** `role admin`, `a promoter or admin`, `alice or bob`: who may approve, in words. */
export function describeApprovers(g: {
  readonly roles: readonly GateRole[];
  readonly tokens: readonly string[];
}): string {
  const parts: string[] = [];
  if (g.roles.length > 0) {
    const min = Math.min(...g.roles.map(roleRank));
    const roles = (['viewer', 'promoter', 'admin'] as const).filter((r) => roleRank(r) >= min);
    parts.push(roles.length === 1 ? `role ${roles[0]}` : `a ${roles.join(' or ')}`);
  }
  if (g.tokens.length > 0) parts.push(g.tokens.join(' or '));
  return parts.join(', or ');
}
