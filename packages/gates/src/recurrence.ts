import type { Options } from 'rrule';
import rrule from 'rrule';

// rrule ships CommonJS for Node: its named exports are properties of the default export
const { RRule } = rrule;
type Rule = InstanceType<typeof RRule>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A rule that yields nothing for this long after its start is a mistake, not a window. */
const FIRST_WITHIN_YEARS = 10;
/** Rebased starts move in steps of this many periods, so that nearby questions share one rule. */
const CHUNK = 16;
/** Where a rule without `start` is anchored: Monday 2000-01-03 00:00 wall clock. */
export const DEFAULT_RULE_START = Date.UTC(2000, 0, 3);

/**
 * An RFC 5545 recurrence rule whose occurrences each open a period of `duration`, on the
 * wall clock of the gate's zone (floating ms, see zone.ts). rrule iterates from the rule's
 * start on every question, which costs one step per period since 2000; so questions go
 * to a copy of the rule restarted shortly before the time asked about, with every default
 * rrule takes from the start (weekday, day of month, time of day) written out, which
 * yields the same occurrences from there on.
 */
export interface Recurrence {
  readonly text: string;
  readonly durationMs: number;
  readonly start: number;
  readonly rule: Rule;
  readonly options: Partial<Options>;
  /** The last restarted copy, shared by questions about nearby times. */
  cache?: { readonly k: number; readonly rule: Rule };
}

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
  let options: Partial<Options>;
  try {
    options = RRule.parseString(body);
  } catch (e) {
    return { ok: false, message: `not an RFC 5545 recurrence rule: ${(e as Error).message}` };
  }
  const problem = checkOptions(options);
  if (problem) return { ok: false, message: problem };
  let rule: Rule;
  try {
    rule = new RRule({ ...options, dtstart: new Date(start) }, true);
    const horizon = new Date(Date.UTC(new Date(start).getUTCFullYear() + FIRST_WITHIN_YEARS, 0, 1));
    if (rule.between(new Date(start), horizon, true, (_d, n) => n === 0).length === 0) {
      return { ok: false, message: `the rule has no occurrence within ${FIRST_WITHIN_YEARS} years of its start` };
    }
  } catch (e) {
    return { ok: false, message: `not an RFC 5545 recurrence rule: ${(e as Error).message}` };
  }
  return { ok: true, value: { text, durationMs, start, rule, options } };
}

const DEFAULTED = ['bymonth', 'bymonthday', 'byweekday', 'byhour', 'byminute', 'bysecond'] as const;

/** The rule restarted `k` periods (of its interval) after its start; the same occurrences from there on. */
function restarted(r: Recurrence, k: number, freq: number, interval: number): Rule {
  const s = new Date(r.start);
  let dtstart: number;
  if (freq === RRule.YEARLY) dtstart = Date.UTC(s.getUTCFullYear() + k * interval, 0, 1);
  else if (freq === RRule.MONTHLY) dtstart = Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + k * interval, 1);
  else dtstart = r.start + k * interval * periodMs(freq);
  const explicit: Partial<Options> = { ...r.options, dtstart: new Date(dtstart) };
  const parsed = r.rule.options as unknown as Record<string, unknown>;
  const target = explicit as Record<string, unknown>;
  for (const key of DEFAULTED) {
    const value = parsed[key];
    if ((r.options[key] === undefined || r.options[key] === null) && Array.isArray(value) && value.length > 0) {
      target[key] = value;
    }
  }
  return new RRule(explicit, true);
}

function periodMs(freq: number): number {
  return freq === RRule.HOURLY ? HOUR : freq === RRule.DAILY ? DAY : 7 * DAY;
}

/** How many whole periods (of the interval) lie between the rule's start and `floating`. */
function periodsBefore(r: Recurrence, floating: number, freq: number, interval: number): number {
  if (freq === RRule.YEARLY || freq === RRule.MONTHLY) {
    const s = new Date(r.start);
    const t = new Date(floating);
    const years = t.getUTCFullYear() - s.getUTCFullYear();
    const units = freq === RRule.YEARLY ? years : years * 12 + t.getUTCMonth() - s.getUTCMonth();
    return Math.floor(units / interval);
  }
  return Math.floor((floating - r.start) / (interval * periodMs(freq)));
}

/** A rule that yields every occurrence whose period may cover `floating` or come after it. */
function ruleNear(r: Recurrence, floating: number): Rule {
  const o = r.rule.options;
  if (o.count !== null && o.count !== undefined) return r.rule;
  // a full period of margin before the earliest start that may still cover `floating`
  let k = periodsBefore(r, floating - r.durationMs, o.freq, o.interval) - 1;
  k = Math.floor(k / CHUNK) * CHUNK;
  if (k < 1) return r.rule;
  if (r.cache?.k === k) return r.cache.rule;
  const rule = restarted(r, k, o.freq, o.interval);
  r.cache = { k, rule };
  return rule;
}

/** Whether an occurrence's period covers the wall-clock time `floating`; its start if so. */
export function recurrenceCovering(r: Recurrence, floating: number): number | undefined {
  // every period lasts as long, so the latest start at or before `floating` ends last
  const latest = ruleNear(r, floating).before(new Date(floating), true);
  if (!latest) return undefined;
  const start = latest.getTime();
  return floating < start + r.durationMs ? start : undefined;
}

/**
 * The first wall-clock time after `floating`, up to `horizon`, at which an occurrence's
 * period starts or the one covering `floating` ends.
 */
export function recurrenceNextBoundary(r: Recurrence, floating: number, horizon: number): number | undefined {
  const rule = ruleNear(r, floating);
  const covering = recurrenceCovering(r, floating);
  const end = covering === undefined ? Number.POSITIVE_INFINITY : covering + r.durationMs;
  const limit = Math.min(horizon, end);
  const next = limit > floating ? rule.between(new Date(floating), new Date(limit), false, (_d, n) => n === 0) : [];
  const start = next[0]?.getTime();
  const best = Math.min(start ?? Number.POSITIVE_INFINITY, end);
  return best === Number.POSITIVE_INFINITY ? undefined : best;
}
