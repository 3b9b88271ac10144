import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';

/**
 * The page's one ticking clock. Every age on screen subscribes with the moment it counts from;
 * the clock keeps a single timer, due when the soonest of those ages next changes its text
 * (every second under a minute, every minute under an hour, ...), so a page with a thousand
 * ages wakes up no more often than its youngest one needs.
 */
export interface Clock {
  now(): number;
  /** `nextChangeIn(now)`: ms until the subscriber's text changes; called again after every tick. */
  subscribe(listener: () => void, nextChangeIn: (now: number) => number): () => void;
}

export interface ClockTimers {
  readonly now: () => number;
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
}

/** Never sooner than this (a burst of changes) nor later (a sleeping laptop wakes up to correct ages). */
const MIN_TICK_MS = 200;
const MAX_TICK_MS = 60_000;

const realTimers: ClockTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function createClock(timers: ClockTimers = realTimers): Clock {
  const subscribers = new Map<() => void, (now: number) => number>();
  let handle: unknown;
  let dueAt = Number.POSITIVE_INFINITY;

  const schedule = () => {
    if (subscribers.size === 0) {
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = undefined;
      dueAt = Number.POSITIVE_INFINITY;
      return;
    }
    const now = timers.now();
    let wait = MAX_TICK_MS;
    for (const next of subscribers.values()) wait = Math.min(wait, next(now));
    wait = Math.max(MIN_TICK_MS, wait);
    // an earlier timer already covers it
    if (handle !== undefined && dueAt <= now + wait) return;
    if (handle !== undefined) timers.clearTimeout(handle);
    dueAt = now + wait;
    handle = timers.setTimeout(tick, wait);
  };
  const tick = () => {
    handle = undefined;
    dueAt = Number.POSITIVE_INFINITY;
    for (const listener of [...subscribers.keys()]) listener();
    schedule();
  };

  return {
    now: timers.now,
    subscribe(listener, nextChangeIn) {
      subscribers.set(listener, nextChangeIn);
      schedule();
      return () => {
        subscribers.delete(listener);
        if (subscribers.size === 0) schedule();
      };
    },
  };
}

const defaultClock = createClock();

/** Tests provide their own clock; the app uses the real one. */
export const ClockContext = createContext<Clock>(defaultClock);

export function useClock(): Clock {
  return useContext(ClockContext);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** ms until an age of `ageMs` shows other text (see `formatAge`'s units). */
export function msUntilAgeChanges(ageMs: number): number {
  if (ageMs < 0) return -ageMs;
  const unit = ageMs < MINUTE ? SECOND : ageMs < HOUR ? MINUTE : ageMs < 48 * HOUR ? HOUR : DAY;
  return unit - (ageMs % unit);
}

/**
 * A text computed from the time elapsed since `since` (epoch ms), re-rendered only when the
 * text changes; `undefined` since gives undefined.
 */
export function useSince<T extends string>(since: number | undefined, format: (ageMs: number) => T): T | undefined {
  const clock = useClock();
  const subscribe = useCallback(
    (listener: () => void) =>
      since === undefined ? () => undefined : clock.subscribe(listener, (now) => msUntilAgeChanges(now - since)),
    [clock, since],
  );
  const snapshot = () => (since === undefined ? undefined : format(Math.max(0, clock.now() - since)));
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
