import type { Options } from 'rrule';
import type { BoundedRule } from './bounded-rule.js';
import { bounded, rrule, walk } from './bounded-rule.js';
import type { Recurrence } from './recurrence.js';

/** A rule that yields nothing for this long after its start is a mistake, not a window. */
const FIRST_WITHIN_YEARS = 10;
/** More occurrences than a window needs: COUNT is for short series. */
const MAX_COUNT = 10_000;
/** Where a rule without `start` is anchored: Monday 2000-01-03 00:00 wall clock. */
export const DEFAULT_RULE_START = Date.UTC(2000, 0, 3);

export type RecurrenceResult =
  | { readonly ok: true; readonly value: Recurrence }
  | { readonly ok: false; readonly message: string };

type Numbers = number | readonly number[] | null | undefined;

function outOfRange(value: Numbers, min: number, max: number, zeroAllowed = true): boolean {
  if (value === null || value === undefined) return false;
  const list = typeof value === 'number' ? [value] : value;
  return list.some((n) => !Number.isInteger(n) || n < min || n > max || (!zeroAllowed && n === 0));
}

const RANGES: readonly [keyof Options, string, number, number, boolean][] = [
  ['byhour', 'BYHOUR', 0, 23, true],
  ['byminute', 'BYMINUTE', 0, 59, true],
  ['bysecond', 'BYSECOND', 0, 59, true],
  ['bymonth', 'BYMONTH', 1, 12, true],
  ['bymonthday', 'BYMONTHDAY', -31, 31, false],
  ['byyearday', 'BYYEARDAY', -366, 366, false],
  ['byweekno', 'BYWEEKNO', -53, 53, false],
  ['bysetpos', 'BYSETPOS', -366, 366, false],
];

function checkOptions(o: Partial<Options>): string | undefined {
  if (o.freq === undefined || o.freq === null) return 'FREQ is missing (e.g. FREQ=WEEKLY;BYDAY=FR;BYHOUR=18)';
  const RRule = rrule();
  if (o.freq === RRule.SECONDLY || o.freq === RRule.MINUTELY) {
    return 'a window recurs hourly at most often (FREQ=HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY)';
  }
  if (o.tzid) return "TZID is not used here: the gate's timeZone applies to the rule";
  if (o.interval !== undefined && (!Number.isInteger(o.interval) || o.interval < 1))
    return 'INTERVAL must be 1 or more';
  if (o.count !== undefined && o.count !== null && (!Number.isInteger(o.count) || o.count < 1)) {
    return 'COUNT must be 1 or more';
  }
  for (const [key, name, min, max, zero] of RANGES) {
    if (outOfRange(o[key] as Numbers, min, max, zero)) {
      return `${name} must be ${zero ? '' : 'non-zero and '}between ${min} and ${max}`;
    }
  }
  const days = o.byweekday;
  if (Array.isArray(days) && days.some((d) => d === null || d === undefined)) {
    return 'BYDAY must list MO, TU, WE, TH, FR, SA or SU (optionally with a position, e.g. 1MO, -1FR)';
  }
  return undefined;
}

/**
 * Parses the RRULE text of a window (`FREQ=WEEKLY;BYDAY=FR;BYHOUR=18`, optionally with a
 * leading `RRULE:`) anchored at `start` (floating ms). Refuses what rrule would take
 * silently: out-of-range BY parts, a missing FREQ, minutely rules, a rule that never occurs.
 */
export function parseRecurrence(text: string, start: number, durationMs: number): RecurrenceResult {
  const body = text.trim().replace(/^RRULE:/i, '');
  if (/[\r\n]|DTSTART|EXDATE|RDATE/i.test(body)) {
    return { ok: false, message: 'give only the RRULE part (FREQ=...); put the first occurrence in `start`' };
  }
  if (/(^|;)TZID=/i.test(body))
    return { ok: false, message: "TZID is not used here: the gate's timeZone applies to the rule" };
  let options: Partial<Options>;
  try {
    options = rrule().parseString(body);
  } catch (e) {
    return { ok: false, message: `not an RFC 5545 recurrence rule: ${(e as Error).message}` };
  }
  const problem = checkOptions(options);
  if (problem) return { ok: false, message: problem };
  const unreachable = unreachableHours(options, start);
  if (unreachable) return { ok: false, message: unreachable };
  if (options.count !== undefined && options.count !== null && options.count > MAX_COUNT) {
    return { ok: false, message: `COUNT must be ${MAX_COUNT} or less` };
  }
  let rule: BoundedRule;
  try {
    rule = bounded({ ...options, dtstart: new Date(start) });
    const horizon = Date.UTC(new Date(start).getUTCFullYear() + FIRST_WITHIN_YEARS, 0, 1);
    if (walk(rule, start, horizon, true, true).length === 0) {
      return { ok: false, message: `the rule has no occurrence within ${FIRST_WITHIN_YEARS} years of its start` };
    }
  } catch (e) {
    return { ok: false, message: `not an RFC 5545 recurrence rule: ${(e as Error).message}` };
  }
  return { ok: true, value: { text, durationMs, start, rule, options } };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * An hourly rule steps from its start's hour by INTERVAL; when no BYHOUR lies on those
 * steps it never occurs, and rrule 2.x would loop forever looking for one.
 */
function unreachableHours(o: Partial<Options>, start: number): string | undefined {
  if (o.freq !== rrule().HOURLY || o.byhour === undefined || o.byhour === null) return undefined;
  const step = gcd(o.interval ?? 1, 24);
  const hour = new Date(start).getUTCHours();
  const hours = typeof o.byhour === 'number' ? [o.byhour] : o.byhour;
  if (hours.some((h) => (((h - hour) % step) + step) % step === 0)) return undefined;
  return `BYHOUR never matches: every ${o.interval} hours from the start's hour ${hour} reaches only hours ≡ ${hour % step} (mod ${step})`;
}
