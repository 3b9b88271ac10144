import { createRequire } from 'node:module';
import type * as RRuleLib from 'rrule';
import type { Options } from 'rrule';

type RRuleClass = typeof RRuleLib.RRule;
export type Rule = InstanceType<RRuleClass>;

let loadedRRule: RRuleClass | undefined;
/**
 * rrule's `RRule`, loaded the first time a recurrence is parsed or walked: a command whose
 * configuration has no window gate (most `status` and `validate` runs) never loads it.
 */
export const rrule = (): RRuleClass => {
  loadedRRule ??= (createRequire(import.meta.url)('rrule') as typeof RRuleLib).RRule;
  return loadedRRule;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * An rrule `RRule` whose questions have a budget of periods. rrule looks for occurrences
 * period by period until it finds one or reaches the year 9999, so a rule whose filters
 * rarely or never match (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`) scans for seconds. rrule
 * 2.x reads `options.interval` twice per period: a getter there spends the budget and,
 * once it is spent, throws to end the walk. A test keeps this true.
 */
export interface BoundedRule {
  readonly rule: Rule;
  budget: number;
}

/** Thrown through rrule when a question's budget is spent; caught by `walk`. */
const SPENT = new Error('recurrence walk over budget');

export function bounded(options: Partial<Options>): BoundedRule {
  const rule = new (rrule())(options, true);
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
export function walk(b: BoundedRule, from: number, to: number, inclusive: boolean, first = false): number[] {
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
export function shortestPeriodMs(freq: number): number {
  const RRule = rrule();
  if (freq === RRule.YEARLY) return 365 * DAY;
  if (freq === RRule.MONTHLY) return 28 * DAY;
  return periodMs(freq);
}

/** How many periods rrule may step through between two wall-clock times. */
export function periodsIn(b: BoundedRule, from: number, to: number): number {
  const o = b.rule.options;
  return Math.max(0, to - from) / shortestPeriodMs(o.freq) / (b.rule.origOptions.interval ?? 1) + 2;
}

/** The length of one hourly, daily or weekly period. */
export function periodMs(freq: number): number {
  const RRule = rrule();
  return freq === RRule.HOURLY ? HOUR : freq === RRule.DAILY ? DAY : 7 * DAY;
}
