import type { Options } from 'rrule';
import type { BoundedRule } from './bounded-rule.js';
import { bounded, periodMs, rrule, shortestPeriodMs, walk } from './bounded-rule.js';

const DAY = 86_400_000;
/** Rebased starts move in steps of this many periods, so that nearby questions share one rule. */
const CHUNK = 8;

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

const DEFAULTED = ['bymonth', 'bymonthday', 'byweekday', 'byhour', 'byminute', 'bysecond'] as const;

/** The rule restarted `k` periods (of its interval) after its start; the same occurrences from there on. */
function restarted(r: Recurrence, k: number, freq: number, interval: number): BoundedRule {
  const s = new Date(r.start);
  let dtstart: number;
  const RRule = rrule();
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

/** How many whole periods (of the interval) lie between the rule's start and `floating`. */
function periodsBefore(r: Recurrence, floating: number, freq: number, interval: number): number {
  const RRule = rrule();
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
