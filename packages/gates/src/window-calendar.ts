import type { Recurrence } from './recurrence.js';
import { recurrenceCovering, recurrenceNextBoundary } from './recurrence.js';
import type { WeeklyIntervals } from './weekly-schedule.js';
import { weeklyCovers, weeklyNextBoundary } from './weekly-schedule.js';
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

function nextBoundary(p: CompiledPeriod, floating: number, floatingHorizon: number): number | undefined {
  if (p.weekly) return weeklyNextBoundary(p.weekly, floating);
  return p.recurrence ? recurrenceNextBoundary(p.recurrence, floating, floatingHorizon) : undefined;
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

/**
 * The first instant after `now` at which the window opens (when closed at `now`) or
 * closes (when open), within `WINDOW_HORIZON_MS`; undefined when it does not change that
 * soon. Walks the boundaries of every period and freeze, and the zone's DST changes (the
 * wall clock jumps there), in order.
 */
export function nextWindowChange(w: CompiledWindow, now: number, openNow: boolean): number | undefined {
  const limit = now + WINDOW_HORIZON_MS;
  const floatingLimit = toFloating(w.zone, limit) + 86_400_000;
  let t = now;
  for (let step = 0; step < MAX_STEPS; step++) {
    const floating = toFloating(w.zone, t);
    let next = Number.POSITIVE_INFINITY;
    for (const list of [w.allow, w.deny]) {
      for (const p of list) {
        const b = nextBoundary(p, floating, floatingLimit);
        if (b === undefined) continue;
        const real = fromFloating(w.zone, b, t);
        if (real !== undefined && real < next) next = real;
      }
    }
    for (const f of w.freezes) {
      if (f.start > t && f.start < next) next = f.start;
      if (f.end > t && f.end < next) next = f.end;
    }
    if (next > limit) next = limit;
    const dst = nextOffsetChange(w.zone, t, next);
    if (dst !== undefined && dst < next) next = dst;
    if (next >= limit) return undefined;
    if (windowStateAt(w, next).open !== openNow) return next;
    t = next;
  }
  return undefined;
}
