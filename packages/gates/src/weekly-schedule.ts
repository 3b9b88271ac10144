/**
 * A weekly schedule compiled to intervals of the week, in floating ms (wall-clock time as
 * if UTC, see zone.ts) counted from Monday 00:00. Pure arithmetic: no dates, no allocation
 * when asked.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

export interface WeeklyIntervals {
  /** [start, end) pairs, ms from Monday 00:00; an end may pass the week's end (Sunday night into Monday). */
  readonly bounds: readonly number[];
}

/** `09:00` -> minutes of the day; `24:00` is 1440. */
export function minutesOf(time: string): number {
  const [h = '0', m = '0'] = time.split(':');
  return Number(h) * 60 + Number(m);
}

/**
 * The intervals of `days` from `from` to `to` (wall clock). `to` at or before `from` runs
 * past midnight into the next day (`22:00`-`06:00`).
 */
export function compileWeekly(days: readonly Weekday[], from: string, to: string): WeeklyIntervals {
  const start = minutesOf(from) * MINUTE;
  let end = minutesOf(to) * MINUTE;
  if (end <= start) end += DAY;
  const bounds: number[] = [];
  for (const day of days) {
    const d = WEEKDAYS.indexOf(day) * DAY;
    bounds.push(d + start, d + end);
  }
  return { bounds };
}

/** ms since Monday 00:00 of the week `floating` is in (1970-01-01 was a Thursday). */
function ofWeek(floating: number): number {
  return (((floating + 3 * DAY) % WEEK) + WEEK) % WEEK;
}

/** Whether the wall-clock time `floating` is inside the schedule. */
export function weeklyCovers(w: WeeklyIntervals, floating: number): boolean {
  const t = ofWeek(floating);
  const b = w.bounds;
  for (let i = 0; i < b.length; i += 2) {
    const s = b[i] as number;
    const e = b[i + 1] as number;
    if ((t >= s && t < e) || (t + WEEK >= s && t + WEEK < e)) return true;
  }
  return false;
}

/** The first wall-clock time after `floating` at which an interval starts or ends. */
export function weeklyNextBoundary(w: WeeklyIntervals, floating: number): number | undefined {
  const t = ofWeek(floating);
  const weekStart = floating - t;
  let best = Number.POSITIVE_INFINITY;
  const b = w.bounds;
  for (let i = 0; i < b.length; i++) {
    const x = b[i] as number;
    for (let k = -1; k <= 1; k++) {
      const c = x + k * WEEK;
      if (c > t && c < best) best = c;
    }
  }
  return best === Number.POSITIVE_INFINITY ? undefined : weekStart + best;
}

/**
 * The first wall-clock time after `floating` at which the schedule's coverage changes
 * (adjacent ranges, such as whole days, are one stretch); undefined when it never does.
 */
export function weeklyNextChange(w: WeeklyIntervals, floating: number): number | undefined {
  const inside = weeklyCovers(w, floating);
  let b = floating;
  for (let i = 0; i < 2 * w.bounds.length + 4; i++) {
    const n = weeklyNextBoundary(w, b);
    if (n === undefined || n - floating > WEEK + DAY) return undefined;
    if (weeklyCovers(w, n) !== inside) return n;
    b = n;
  }
  return undefined;
}
