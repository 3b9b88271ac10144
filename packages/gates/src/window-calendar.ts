import type { Recurrence } from './recurrence.js';
import { recurrenceCovering, recurrenceNextChange } from './recurrence.js';
import type { WeeklyIntervals } from './weekly-schedule.js';
import { weeklyCovers, weeklyNextChange } from './weekly-schedule.js';
import type { Zone } from './zone.js';
import { fromFloating, nextOffsetChange, toFloating } from './zone.js';

/** A window period, compiled: a weekly schedule or a recurrence, with how verdicts name it. */
export interface CompiledPeriod {
  readonly label: string;
  readonly weekly?: WeeklyIntervals;
  readonly recurrence?: Recurrence;
}

export interface CompiledFreeze {
  readonly reason: string;
  /** Epoch ms; the freeze holds in [start, end). */
  readonly start: number;
  readonly end: number;
}

export interface CompiledWindow {
  readonly zone: Zone;
  readonly allow: readonly CompiledPeriod[];
  readonly deny: readonly CompiledPeriod[];
  readonly freezes: readonly CompiledFreeze[];
}

/** Where a window stands at one instant. Indexes point into the compiled window's lists. */
export interface WindowState {
  readonly open: boolean;
  /** The allow period covering the instant (-1: none, or no allow periods at all). */
  readonly allowedBy: number;
  /** The deny period covering it, or -1. */
  readonly deniedBy: number;
  /** The freeze holding, or -1. */
  readonly frozenBy: number;
}

/** How far ahead the next change is looked for. */
export const WINDOW_HORIZON_MS = 366 * 86_400_000;
/** Boundaries looked at, at most, while looking for the next change. */
const MAX_STEPS = 2000;

function covers(p: CompiledPeriod, floating: number): boolean {
  if (p.weekly) return weeklyCovers(p.weekly, floating);
  return p.recurrence ? recurrenceCovering(p.recurrence, floating) !== undefined : false;
}

/** When the period's coverage next changes (or, for a long unbroken run, a point to go on from). */
function nextChange(p: CompiledPeriod, floating: number, floatingHorizon: number): number | undefined {
  if (p.weekly) return weeklyNextChange(p.weekly, floating);
  return p.recurrence ? recurrenceNextChange(p.recurrence, floating, floatingHorizon) : undefined;
}

function firstCovering(periods: readonly CompiledPeriod[], floating: number): number {
  for (let i = 0; i < periods.length; i++) if (covers(periods[i] as CompiledPeriod, floating)) return i;
  return -1;
}

/** The window at the real instant `t` (epoch ms). */
export function windowStateAt(w: CompiledWindow, t: number): WindowState {
  let frozenBy = -1;
  for (let i = 0; i < w.freezes.length; i++) {
    const f = w.freezes[i] as CompiledFreeze;
    if (t >= f.start && t < f.end) {
      frozenBy = i;
      break;
    }
  }
  const floating = toFloating(w.zone, t);
  const deniedBy = firstCovering(w.deny, floating);
  const allowedBy = w.allow.length === 0 ? -1 : firstCovering(w.allow, floating);
  const allowed = w.allow.length === 0 || allowedBy >= 0;
  return { open: allowed && deniedBy < 0 && frozenBy < 0, allowedBy, deniedBy, frozenBy };
}

/** The earliest instant after `after` at which one of `periods` changes coverage (or `best`). */
function earliestChange(
  w: CompiledWindow,
  periods: readonly CompiledPeriod[],
  floating: number,
  floatingLimit: number,
  after: number,
  best: number,
): number {
  let next = best;
  for (const p of periods) {
    const b = nextChange(p, floating, floatingLimit);
    if (b === undefined) continue;
    const real = fromFloating(w.zone, b, after);
    if (real !== undefined && real < next) next = real;
  }
  return next;
}

/**
 * While closed: the instant by which everything closing the window at `t` has ended (the
 * freezes holding, the deny periods covering, the allow periods not covering). It cannot
 * open before; walking there at once skips every boundary in between. Undefined when one
 * of them does not end within the horizon.
 */
function whenClosersEnd(
  w: CompiledWindow,
  state: WindowState,
  t: number,
  floating: number,
  floatingLimit: number,
): number | undefined {
  let target = t;
  if (state.frozenBy >= 0) {
    for (const f of w.freezes) if (t >= f.start && t < f.end && f.end > target) target = f.end;
  }
  for (const p of w.deny) {
    if (!covers(p, floating)) continue;
    const b = nextChange(p, floating, floatingLimit);
    const real = b === undefined ? undefined : fromFloating(w.zone, b, t);
    if (real === undefined) return undefined;
    if (real > target) target = real;
  }
  if (w.allow.length > 0 && state.allowedBy < 0) {
    const opens = earliestChange(w, w.allow, floating, floatingLimit, t, Number.POSITIVE_INFINITY);
    if (opens === Number.POSITIVE_INFINITY) return undefined;
    if (opens > target) target = opens;
  }
  return target > t ? target : undefined;
}

/**
 * The first instant after `now` at which the window opens (when closed at `now`) or
 * closes (when open), within `WINDOW_HORIZON_MS`; undefined when it does not change that
 * soon. While open, it walks the boundaries of every period and freeze in order; while
 * closed, it goes straight to when everything closing it has ended. Either way it stops
 * at the zone's DST changes, where the wall clock jumps.
 */
export function nextWindowChange(w: CompiledWindow, now: number, openNow: boolean): number | undefined {
  const limit = now + WINDOW_HORIZON_MS;
  const floatingLimit = toFloating(w.zone, limit) + 86_400_000;
  let t = now;
  let state = windowStateAt(w, now);
  for (let step = 0; step < MAX_STEPS; step++) {
    const floating = toFloating(w.zone, t);
    let next: number | undefined;
    if (openNow) {
      next = earliestChange(w, w.allow, floating, floatingLimit, t, Number.POSITIVE_INFINITY);
      next = earliestChange(w, w.deny, floating, floatingLimit, t, next);
      for (const f of w.freezes) {
        if (f.start > t && f.start < next) next = f.start;
        if (f.end > t && f.end < next) next = f.end;
      }
    } else {
      next = whenClosersEnd(w, state, t, floating, floatingLimit);
    }
    if (next === undefined || next > limit) next = limit;
    const dst = nextOffsetChange(w.zone, t, next);
    if (dst !== undefined && dst < next) next = dst;
    if (next >= limit) return undefined;
    state = windowStateAt(w, next);
    if (state.open !== openNow) return next;
    t = next;
  }
  return undefined;
}
