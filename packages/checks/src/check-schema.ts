import type { ValidationIssue } from '@gantry/core';
import { ValidationError } from '@gantry/core';
import { z } from 'zod';
import { commandCheckSchema } from './command-schema.js';
import { httpCheckSchema } from './http-schema.js';
import { prometheusCheckSchema } from './prometheus-schema.js';

/** One verification check of `gantry.yaml`, by `kind`. */
export const checkSchema = z.discriminatedUnion('kind', [httpCheckSchema, prometheusCheckSchema, commandCheckSchema]);

/** A phase's checks: names must be unique, since results and verdicts name checks. */
export const checksSchema = z.array(checkSchema).superRefine((checks, ctx) => {
  const seen = new Map<string, number>();
  checks.forEach((c, i) => {
    const first = seen.get(c.name);
    if (first === undefined) seen.set(c.name, i);
    else {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'name'],
        message: `check name "${c.name}" is already used by check ${first}; give one of them a name`,
      });
    }
  });
});

export type CheckInput = z.input<typeof checkSchema>;
export type Check = z.output<typeof checkSchema>;
export type CheckKind = Check['kind'];

function issuesOf(error: z.ZodError, prefix: readonly (string | number)[]): ValidationIssue[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path].map(String).join('.') || '(root)',
    message: i.message,
  }));
}

/**
 * Parses one check definition (plain data from YAML or `gantry.config.ts`).
 * @throws ValidationError naming every bad field.
 */
export function parseCheck(input: unknown, path: readonly (string | number)[] = []): Check {
  const r = checkSchema.safeParse(input);
  if (!r.success) throw new ValidationError('check', issuesOf(r.error, path));
  return r.data;
}

/**
 * Parses a phase's list of checks.
 * @throws ValidationError naming every bad field.
 */
export function parseChecks(input: unknown, path: readonly (string | number)[] = []): Check[] {
  const r = checksSchema.safeParse(input);
  if (!r.success) throw new ValidationError('checks', issuesOf(r.error, path));
  return r.data;
}
