import { z } from 'zod';
import { checkNameSchema, defaultCheckName } from './check-name.js';
import { durationSchema } from './duration-schema.js';

/**
 * A program run to completion: exit 0 passes. Give `argv` (run directly, no shell) or
 * `shell` (run by `/bin/sh -c`), not both. The promotion is in `GANTRY_*` environment
 * variables. At `timeout` its whole process group gets SIGTERM, and SIGKILL after
 * `killAfter`.
 */
export const commandCheckSchema = z
  .strictObject({
    kind: z.literal('command'),
    name: checkNameSchema.optional(),
    argv: z.array(z.string()).min(1).optional().describe('Program and arguments, run without a shell.'),
    shell: z.string().trim().min(1).optional().describe('A command line run by /bin/sh -c.'),
    cwd: z.string().min(1).optional().describe('Working directory (relative: to the configuration directory).'),
    env: z.record(z.string(), z.string()).default({}).describe('Extra environment variables.'),
    timeout: durationSchema.prefault('5m').describe('Time limit of the command (5m).'),
    killAfter: durationSchema.prefault('5s').describe('Grace between SIGTERM and SIGKILL at the timeout (5s).'),
  })
  .superRefine((c, ctx) => {
    if ((c.argv === undefined) === (c.shell === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['argv'], message: 'give either argv (a list) or shell (a string)' });
    }
  })
  .transform((c) => ({
    ...c,
    name: c.name ?? defaultCheckName('command', c.shell ?? (c.argv ?? []).join(' ')),
  }));

export type CommandCheckInput = z.input<typeof commandCheckSchema>;
export type CommandCheck = z.output<typeof commandCheckSchema>;
