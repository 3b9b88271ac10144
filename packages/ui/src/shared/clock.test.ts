import { describe, expect, it } from 'vitest';
import type { ClockTimers } from './clock.js';
import { createClock, msUntilAgeChanges } from './clock.js';

/** Timers the test moves by hand: one list of pending callbacks and a settable now. */
function manualTimers(start: number) {
  let now = start;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: ClockTimers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      seq += 1;
      pending.set(seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout: (h) => {
      pending.delete(h as number);
    },
  };
  return {
    timers,
    pending: () => pending.size,
    /** Moves time forward, running every timer that falls due on the way, in order. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
  };
}

describe('clock', () => {
  it('GIVEN ages in each unit THEN the time until their text changes', () => {
    expect(msUntilAgeChanges(1_400)).toBe(600);
    expect(msUntilAgeChanges(150_000)).toBe(30_000);
    expect(msUntilAgeChanges(2 * 3600_000 + 5)).toBe(3600_000 - 5);
    expect(msUntilAgeChanges(3 * 86_400_000)).toBe(86_400_000);
  });

  it('GIVEN many subscribers THEN one timer, due when the youngest age changes; each tick wakes every subscriber', () => {
    const t = manualTimers(1_000_000);
    const clock = createClock(t.timers);
    const ticks: string[] = [];
    const since = { young: 1_000_000 - 2_500, old: 1_000_000 - 150_000 };
    const offYoung = clock.subscribe(
      () => ticks.push('young'),
      (now) => msUntilAgeChanges(now - since.young),
    );
    clock.subscribe(
      () => ticks.push('old'),
      (now) => msUntilAgeChanges(now - since.old),
    );
    expect(t.pending()).toBe(1);
    t.advance(500);
    expect(ticks).toEqual(['young', 'old']);
    // WHEN the young one goes (its timer, already set, fires once more) THEN the timer follows the old one
    offYoung();
    t.advance(1_000);
    ticks.length = 0;
    t.advance(28_000);
    expect(ticks).toEqual([]);
    t.advance(500);
    expect(ticks).toEqual(['old']);
    expect(t.pending()).toBe(1);
  });

  it('GIVEN the last subscriber leaves THEN no timer is left', () => {
    const t = manualTimers(0);
    const clock = createClock(t.timers);
    const off = clock.subscribe(
      () => undefined,
      () => 1000,
    );
    off();
    expect(t.pending()).toBe(0);
  });
});
