import { z } from 'zod';

/** An inclusive range of HTTP status codes; a single code is a range of one. */
export interface StatusRange {
  readonly min: number;
  readonly max: number;
}

const code = z.number().int().min(100).max(599);

/** `200`, `"200-299"`, `"2xx"`. */
const oneRange = z.union(
  [
    code.transform((c): StatusRange => ({ min: c, max: c })),
    z
      .string()
      .regex(/^\s*[1-5]xx\s*$/i)
      .transform((s): StatusRange => {
        const hundreds = Number(s.trim()[0]) * 100;
        return { min: hundreds, max: hundreds + 99 };
      }),
    z
      .string()
      .regex(/^\s*\d{3}\s*(-\s*\d{3}\s*)?$/)
      .transform((s): StatusRange => {
        const [lo, hi] = s.split('-').map((p) => Number(p.trim()));
        return { min: lo as number, max: hi ?? (lo as number) };
      })
      .refine((r) => r.min >= 100 && r.max <= 599 && r.min <= r.max, 'a status range such as 200-299 (low <= high)'),
    // the parsed form itself, so that parsing a parsed check again gives the same check
    z
      .strictObject({ min: code, max: code })
      .refine((r) => r.min <= r.max, 'a status range such as 200-299 (low <= high)'),
  ],
  { error: 'a status code (200), a range ("200-299" or "2xx"), or a list of them' },
);

/**
 * The statuses an HTTP check accepts: one code or range, or a list of them
 * (`[200, 204]`, `["2xx", 404]`). Parses to a list of ranges.
 */
export const expectedStatusSchema = z
  .union([oneRange.transform((r) => [r]), z.array(oneRange).min(1)])
  .describe('Accepted status: 200, "200-299", "2xx", or a list of them (default 200-299).');

/** The default: any 2xx. */
export const ANY_2XX: readonly StatusRange[] = [{ min: 200, max: 299 }];

export function statusMatches(status: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some((r) => status >= r.min && status <= r.max);
}

/** `200-299`, `200, 204`: for reasons. */
export function formatStatusRanges(ranges: readonly StatusRange[]): string {
  return ranges.map((r) => (r.min === r.max ? String(r.min) : `${r.min}-${r.max}`)).join(', ');
}
