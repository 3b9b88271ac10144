import type { Bucket } from './types.js';

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

const SPAN_UNITS: Record<string, number> = { h: 3_600_000, d: DAY_MS, w: WEEK_MS };

/**
 * Parses a look-back span: `30d`, `12w`, `24h`, `1w3d`. Throws a RangeError naming the text
 * otherwise (the caller turns it into its own error naming the flag or parameter).
 */
export function parseSpan(text: string): number {
  const t = text.trim();
  let total = 0;
  let consumed = 0;
  for (const m of t.matchAll(/(\d+)([hdw])/g)) {
    total += Number(m[1]) * (SPAN_UNITS[m[2] ?? ''] ?? 0);
    consumed += m[0].length;
  }
  if (consumed === 0 || consumed !== t.length || total <= 0)
    throw new RangeError(`"${text}" is not a span of time such as 30d, 12w or 24h`);
  return total;
}

/**
 * Reads a period bound: an ISO 8601 timestamp, or a date (`2025-03-01`, midnight UTC). Throws a
 * RangeError naming the text otherwise.
 */
export function parseInstant(text: string): Date {
  const t = text.trim();
  const ok = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/.test(t);
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : t);
  if (!ok || Number.isNaN(d.getTime()))
    throw new RangeError(`"${text}" is not a date (2025-03-01) or an ISO 8601 time (2025-03-01T12:00:00Z)`);
  return d;
}

/** The series bucket a period gets by default: days up to 92 days (a quarter), weeks beyond. */
export function defaultBucket(from: Date, to: Date): Bucket {
  return to.getTime() - from.getTime() <= 92 * DAY_MS ? 'day' : 'week';
}

export function bucketMs(bucket: Bucket): number {
  return bucket === 'day' ? DAY_MS : WEEK_MS;
}

/**
 * Milliseconds of an ISO 8601 UTC time as the store writes them (`Date#toISOString`:
 * `2025-03-01T12:00:00.000Z`), read without `Date.parse` (a fleet's year has hundreds of
 * thousands); any other form goes to `Date.parse`.
 */
export function isoMs(iso: string): number {
  if (iso.length !== 24 || iso.charCodeAt(23) !== 90 /* Z */ || iso.charCodeAt(10) !== 84 /* T */)
    return Date.parse(iso);
  return Date.UTC(
    digits(iso, 0, 4),
    digits(iso, 5, 2) - 1,
    digits(iso, 8, 2),
    digits(iso, 11, 2),
    digits(iso, 14, 2),
    digits(iso, 17, 2),
    digits(iso, 20, 3),
  );
}

/** The decimal number `len` digits long at `from`. */
function digits(text: string, from: number, len: number): number {
  let v = 0;
  for (let i = from; i < from + len; i++) v = v * 10 + text.charCodeAt(i) - 48;
  return v;
}
