import { z } from 'zod';

/** A check's name: shown in results and verdicts, unique within a phase. */
export const checkNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .describe('Name shown in results; unique within a phase (default: kind and target).');

const MAX_DEFAULT = 80;

/** `http GET https://app/healthz`, shortened to stay readable in a status line. */
export function defaultCheckName(kind: string, target: string): string {
  const text = `${kind} ${target.replace(/\s+/g, ' ').trim()}`;
  return text.length <= MAX_DEFAULT ? text : `${text.slice(0, MAX_DEFAULT - 1)}…`;
}
