import type { Options } from 'rrule';
import rrule from 'rrule';

// rrule ships CommonJS for Node: its named exports are properties of the default export
const { RRule } = rrule;
type Rule = InstanceType<typeof RRule>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A rule that yields nothing for this long after its start is a mistake, not a window. */
const FIRST_WITHIN_YEARS = 10;
/** More occurrences than a window needs: COUNT is for short series. */
const MAX_COUNT = 10_000;
/** Rebased starts move in steps of this many periods, so that nearby questions share one rule. */
const CHUNK = 8;
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
  readonly rule: BoundedRule;
  readonly options: Partial<Options>;
  /** The last restarted copy, shared by questions about nearby times. */
  cache?: { readonly k: number; readonly rule: BoundedRule };
  /** The occurrences listed last (memoized: the same answers, fewer walks through rrule). */
  occurrences?: Occurrences;
}

interface Occurrences {
  readonly from: number;
  readonly to: number;
  /** Every start in [from, to], ascending. */
  readonly starts: readonly number[];
}

/**
 * An rrule `RRule` whose questions have a budget of periods. rrule looks for occurrences
 * period by period until it finds one or reaches the year 9999, so a rule whose filters
 * rarely or never match (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`) scans for seconds. rrule
 * 2.x reads `options.interval` twice per period: a getter there spends the budget and,
 * once it is spent, throws to end the walk. A test keeps this true.
 */
interface BoundedRule {
  readonly rule: Rule;
  budget: number;
}

/** Thrown through rrule when a question's budget is spent; caught by `walk`. */
const SPENT = new Error('recurrence walk over budget');

function bounded(options: Partial<Options>): BoundedRule {
  const rule = new RRule(options, true);
  const b: BoundedRule = { rule, budget: Number.POSITIVE_INFINITY };
  const interval = rule.options.interval;
  Object.defineProperty(rule.options, 'interval', {
    configurable: true,
    enumerable: true,
    get: () => {
      if (b.budget-- > 0) return interval;
      throw SPENT;
    },
  });
  return b;
}

/**
 * The starts in [from, to] (only the first with `first`), walking no further than the
 * periods up to `to` need: the walk is cut off past `to`, where rrule would go on to
 * the next occurrence however far.
 */
function walk(b: BoundedRule, from: number, to: number, inclusive: boolean, first = false): number[] {
  const found: number[] = [];
  const dtstart = b.rule.options.dtstart.getTime();
  // two reads of the interval per period, and one at the start
  b.budget = 2 * Math.ceil(periodsIn(b, dtstart, to)) + 8;
  try {
    b.rule.between(new Date(from), new Date(to), inclusive, (d) => {
      found.push(d.getTime());
      return !first;
    });
  } catch (e) {
    if (e !== SPENT) throw e;
  } finally {
    b.budget = Number.POSITIVE_INFINITY;
  }
  return found;
}

/** The shortest period of `freq` (a month is at least 28 days). */
function shortestPeriodMs(freq: number): number {
  if (freq === RRule.YEARLY) return 365 * DAY;
  if (freq === RRule.MONTHLY) return 28 * DAY;
  return periodMs(freq);
}

/** How many periods rrule may step through between two wall-clock times. */
function periodsIn(b: BoundedRule, from: number, to: number): number {
  const o = b.rule.options;
  return Math.max(0, to - from) / shortestPeriodMs(o.freq) / (b.rule.origOptions.interval ?? 1) + 2;
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
  if (/(^|;)TZID=/i.test(body))
    return { ok: false, message: "TZID is not used here: the gate's timeZone applies to the rule" };
  let options: Partial<Options>;
  try {
    options = RRule.parseString(body);
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
  if (o.freq !== RRule.HOURLY || o.byhour === undefined || o.byhour === null) return undefined;
  const step = gcd(o.interval ?? 1, 24);
  const hour = new Date(start).getUTCHours();
  const hours = typeof o.byhour === 'number' ? [o.byhour] : o.byhour;
  if (hours.some((h) => (((h - hour) % step) + step) % step === 0)) return undefined;
  return `BYHOUR never matches: every ${o.interval} hours from the start's hour ${hour} reaches only hours ≡ ${hour % step} (mod ${step})`;
}

const DEFAULTED = ['bymonth', 'bymonthday', 'byweekday', 'byhour', 'byminute', 'bysecond'] as const;

/** The rule restarted `k` periods (of its interval) after its start; the same occurrences from there on. */
function restarted(r: Recurrence, k: number, freq: number, interval: number): BoundedRule {
  const s = new Date(r.start);
  let dtstart: number;
  if (freq === RRule.YEARLY) dtstart = Date.UTC(s.getUTCFullYear() + k * interval, 0, 1);
  else if (freq === RRule.MONTHLY) dtstart = Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + k * interval, 1);
  else dtstart = r.start + k * interval * periodMs(freq);
  const explicit: Partial<Options> = { ...r.options, dtstart: new Date(dtstart) };
  const parsed = r.rule.rule.options as unknown as Record<string, unknown>;
  const target = explicit as Record<string, unknown>;
  for (const key of DEFAULTED) {
    const value = parsed[key];
    if ((r.options[key] === undefined || r.options[key] === null) && Array.isArray(value) && value.length > 0) {
      target[key] = value;
    }
  }
  return bounded(explicit);
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
function ruleNear(r: Recurrence, floating: number): BoundedRule {
  const o = r.rule.rule.options;
  const interval = r.rule.rule.origOptions.interval ?? 1;
  if (o.count !== null && o.count !== undefined) return r.rule;
  // a full period of margin before the earliest start that may still cover `floating`
  let k = periodsBefore(r, floating - r.durationMs, o.freq, interval) - 1;
  k = Math.floor(k / CHUNK) * CHUNK;
  if (k < 1) return r.rule;
  if (r.cache?.k === k) return r.cache.rule;
  const rule = restarted(r, k, o.freq, interval);
  r.cache = { k, rule };
  return rule;
}

/** How many periods ahead of a question occurrences are listed at once. */
const AHEAD_PERIODS = 8;
/** How far behind (besides the duration). */
const BEHIND = DAY;
/** Starts kept listed at most; older ones are let go first. */
const MAX_LISTED = 4096;
/**
 * Covered without a break for this long, a period counts as covered at least until then:
 * `recurrenceNextChange` stops walking there (a deny rule whose occurrences overlap forever
 * would otherwise be walked to the horizon on every question).
 */
export const CHAIN_LIMIT = 35 * DAY;

function aheadMs(r: Recurrence): number {
  const o = r.rule.rule.origOptions;
  return AHEAD_PERIODS * (o.interval ?? 1) * shortestPeriodMs(o.freq as number);
}

/** Every occurrence start in [from, to], listed once and shared by the questions that fall inside. */
function occurrencesAround(r: Recurrence, floating: number): Occurrences {
  const c = r.occurrences;
  if (c && c.from <= floating - r.durationMs && c.to >= floating) return c;
  const from = floating - r.durationMs - BEHIND;
  const to = floating + aheadMs(r);
  const listed = { from, to, starts: walk(ruleNear(r, from), from, to, true) };
  r.occurrences = listed;
  return listed;
}

/** The index of the first start after `t` in a sorted list (its length when none is). */
function firstAfter(starts: readonly number[], t: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first start after `t` and at or before `limit`, listing further ahead as needed. */
function nextStart(r: Recurrence, t: number, limit: number): number | undefined {
  let listed = occurrencesAround(r, t);
  for (;;) {
    const s = listed.starts[firstAfter(listed.starts, t)];
    if (s !== undefined) return s <= limit ? s : undefined;
    if (listed.to >= limit) return undefined;
    const to = Math.min(limit, listed.to + aheadMs(r));
    let more = walk(ruleNear(r, listed.to), listed.to, to, false);
    let reached = to;
    if (more.length === 0 && to < limit) {
      // a sparse rule: straight to its next start, if it comes before the limit
      more = walk(ruleNear(r, to), to, limit, false, true);
      reached = more[0] ?? limit;
    }
    let starts = more.length === 0 ? listed.starts : [...listed.starts, ...more];
    let from = listed.from;
    if (starts.length > MAX_LISTED) {
      starts = starts.slice(starts.length - MAX_LISTED / 2);
      from = starts[0] as number;
    }
    listed = { from, to: reached, starts };
    r.occurrences = listed;
  }
}

/** Whether an occurrence's period covers the wall-clock time `floating`; its start if so. */
export function recurrenceCovering(r: Recurrence, floating: number): number | undefined {
  const { starts } = occurrencesAround(r, floating);
  // every period lasts as long, so the latest start at or before `floating` ends last
  const latest = starts[firstAfter(starts, floating) - 1];
  return latest !== undefined && floating < latest + r.durationMs ? latest : undefined;
}

/**
 * The first wall-clock time after `floating`, up to `horizon`, at which the rule's
 * coverage changes: the next start when uncovered, the end of the overlapping run of
 * occurrences when covered (or, after `CHAIN_LIMIT` of unbroken coverage, that point,
 * where nothing changes, for the caller to go on from).
 */
export function recurrenceNextChange(r: Recurrence, floating: number, horizon: number): number | undefined {
  const covering = recurrenceCovering(r, floating);
  if (covering === undefined) return nextStart(r, floating, horizon);
  const limit = Math.min(horizon, floating + CHAIN_LIMIT);
  let end = covering + r.durationMs;
  let t = floating;
  while (end <= limit) {
    const s = nextStart(r, t, end - 1);
    if (s === undefined) return end;
    t = s;
    end = Math.max(end, s + r.durationMs);
  }
  return limit < horizon ? limit : undefined;
}
