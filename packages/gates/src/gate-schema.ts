import type { ValidationIssue } from '@gantry/core';
import { ValidationError } from '@gantry/core';
import { z } from 'zod';
import { approvalGateSchema } from './approval-schema.js';
import { branchGateSchema } from './branch-schema.js';
import { commitGateSchema } from './commit-schema.js';
import { signatureGateSchema } from './signature-schema.js';
import { soakGateSchema } from './soak-schema.js';
import { windowGateSchema } from './window-schema.js';

/** One gate of a phase in `gantry.yaml` (`gates:`) or `gantry.config.ts`, by `kind`. */
export const gateSchema = z.discriminatedUnion('kind', [
  soakGateSchema,
  approvalGateSchema,
  windowGateSchema,
  commitGateSchema,
  branchGateSchema,
  signatureGateSchema,
]);

/** A phase's gates: names must be unique, since verdicts and overrides name gates. */
export const gatesSchema = z.array(gateSchema).superRefine((gates, ctx) => {
  const seen = new Map<string, number>();
  gates.forEach((g, i) => {
    const first = seen.get(g.name);
    if (first === undefined) seen.set(g.name, i);
    else {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'name'],
        message: `gate name "${g.name}" is already used by gate ${first}; give one of them a name`,
      });
    }
  });
});

export type GateInput = z.input<typeof gateSchema>;
export type Gate = z.output<typeof gateSchema>;
export type GateKind = Gate['kind'];

/** Every gate kind, in the order docs and `gantry why` list them. */
export const GATE_KINDS = [
  'soak',
  'approval',
  'window',
  'commit',
  'branch',
  'signature',
] as const satisfies readonly GateKind[];

function issuesOf(error: z.ZodError, prefix: readonly (string | number)[]): ValidationIssue[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path].map(String).join('.') || '(root)',
    message: i.message,
  }));
}

/**
 * Parses one gate definition (plain data from YAML or `gantry.config.ts`), compiling its
 * patterns, rules and times once.
 * @throws ValidationError naming every bad field, under `path`.
 */
export function parseGate(input: unknown, path: readonly (string | number)[] = []): Gate {
  const r = gateSchema.safeParse(input);
  if (!r.success) throw new ValidationError('gate', issuesOf(r.error, path));
  return r.data;
}

/**
 * Parses a phase's gates.
 * @throws ValidationError naming every bad field, under `path` (e.g. `['pipelines', 0, 'phases', 2, 'gates']`).
 */
export function parseGates(input: unknown, path: readonly (string | number)[] = []): Gate[] {
  const r = gatesSchema.safeParse(input);
  if (!r.success) throw new ValidationError('gates', issuesOf(r.error, path));
  return r.data;
}
