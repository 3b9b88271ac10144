import { z } from 'zod';
import { remember } from './compiled.js';
import { gateNameSchema } from './gate-name.js';
import type { Matcher } from './pattern.js';
import { compilePattern, patternListSchema } from './pattern.js';

export interface CompiledBranch {
  readonly branches: readonly Matcher[];
}

/**
 * `branch`: only versions built from a branch matching `branches` may enter the phase.
 * With `manualOnly`, a version from another branch may still be released by hand, but
 * is never promoted automatically (a hotfix goes to staging by hand and stops there).
 */
export const branchGateSchema = z
  .strictObject({
    kind: z.literal('branch'),
    name: gateNameSchema.optional(),
    branches: patternListSchema.describe(
      'Branches whose versions may enter: exact names, globs (release/*), or /regex/.',
    ),
    manualOnly: z
      .boolean()
      .default(false)
      .describe('true: versions from other branches may be released by hand, never promoted automatically.'),
  })
  .transform((g, ctx) => {
    const branches: Matcher[] = [];
    g.branches.forEach((text, i) => {
      const m = compilePattern(text);
      if (m.ok) branches.push(m.value);
      else ctx.addIssue({ code: 'custom', path: ['branches', i], message: m.message, input: text });
    });
    if (branches.length !== g.branches.length) return z.NEVER;
    return remember({ ...g, name: g.name ?? 'branch' }, { branches } satisfies CompiledBranch);
  });

export type BranchGateInput = z.input<typeof branchGateSchema>;
export type BranchGate = z.output<typeof branchGateSchema>;
