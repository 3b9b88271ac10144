import { z } from 'zod';

/** A gate's name: what verdicts, `gantry why` and overrides name; unique within a phase. */
export const gateNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .describe('Name shown in verdicts and used by overrides; unique within a phase (default: the kind).');
