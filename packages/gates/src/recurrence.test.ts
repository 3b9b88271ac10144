import fc from 'fast-check';
import rrule from 'rrule';
import { describe, expect, it } from 'vitest';
import { parseRecurrence } from './recurrence-parse.js';
import { CHAIN_LIMIT, recurrenceCovering, recurrenceNextChange } from './recurrence.js';

const { RRule } = rrule;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const wall = (iso: string) => Date.parse(`${iso}Z`);

function parsed(text: string, start: number, durationMs: number) {
  const r = parseRecurrence(text, start, durationMs);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('recurrence rules', () => {
  it('GIVEN Fridays 18:00 for 63h WHEN asked THEN the weekend is covered until Monday 09:00 wall clock', () => {
    const r = parsed('FREQ=WEEKLY;BYDAY=FR;BYHOUR=18', wall('2025-01-03T00:00:00'), 63 * HOUR);
    expect(recurrenceCovering(r, wall('2025-12-06T12:00:00'))).toBe(wall('2025-12-05T18:00:00'));
    expect(recurrenceCovering(r, wall('2025-12-08T08:59:00'))).toBe(wall('2025-12-05T18:00:00'));
    expect(recurrenceCovering(r, wall('2025-12-08T09:00:00'))).toBeUndefined();
    expect(recurrenceNextChange(r, wall('2025-12-06T12:00:00'), wall('2026-12-01T00:00:00'))).toBe(
      wall('2025-12-08T09:00:00'),
    );
    expect(recurrenceNextChange(r, wall('2025-12-08T09:00:00'), wall('2026-12-01T00:00:00'))).toBe(
      wall('2025-12-12T18:00:00'),
    );
  });

  it('GIVEN INTERVAL=2 anchored at a start WHEN asked years later THEN every other week counts from the start', () => {
    const r = parsed('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9', wall('2025-01-06T00:00:00'), 8 * HOUR);
    // 2025-12-01 is 47 weeks after 2025-01-06: an odd week, closed
    expect(recurrenceCovering(r, wall('2025-12-01T10:00:00'))).toBeUndefined();
    expect(recurrenceCovering(r, wall('2025-12-08T10:00:00'))).toBe(wall('2025-12-08T09:00:00'));
  });

  it('GIVEN a rule whose occurrences ended (UNTIL) WHEN asked THEN nothing covers and nothing comes', () => {
    const r = parsed('FREQ=DAILY;BYHOUR=9;UNTIL=20250110T000000Z', wall('2025-01-01T00:00:00'), HOUR);
    expect(recurrenceCovering(r, wall('2025-01-05T09:30:00'))).toBe(wall('2025-01-05T09:00:00'));
    expect(recurrenceCovering(r, wall('2025-06-05T09:30:00'))).toBeUndefined();
    expect(recurrenceNextChange(r, wall('2025-06-05T09:30:00'), wall('2026-06-05T00:00:00'))).toBeUndefined();
  });

  it('GIVEN a rule with COUNT WHEN asked after its last occurrence THEN nothing covers; a huge COUNT is refused', () => {
    const r = parsed('FREQ=DAILY;COUNT=3;BYHOUR=9', wall('2025-01-01T00:00:00'), HOUR);
    expect(recurrenceCovering(r, wall('2025-01-03T09:30:00'))).toBe(wall('2025-01-03T09:00:00'));
    expect(recurrenceCovering(r, wall('2025-01-04T09:30:00'))).toBeUndefined();
    expect(recurrenceNextChange(r, wall('2025-01-04T09:30:00'), wall('2026-01-01T00:00:00'))).toBeUndefined();
    const huge = parseRecurrence('FREQ=HOURLY;COUNT=20000', wall('2025-01-01T00:00:00'), HOUR);
    expect(huge.ok ? 'accepted' : huge.message).toBe('COUNT must be 10000 or less');
  });

  it('GIVEN rules that never occur WHEN parsed THEN they are refused without scanning to the year 9999', () => {
    // unbounded, rrule walks day by day to 9999 for these (seconds: the test would time out)
    for (const text of ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=HOURLY;BYMONTH=4;BYMONTHDAY=31']) {
      const r = parseRecurrence(text, wall('2000-01-03T00:00:00'), HOUR);
      expect(r.ok ? 'accepted' : r.message).toMatch(/no occurrence within 10 years/);
    }
    // rrule would loop forever inside one step: every 3 hours from 23:00 never reaches 00, 06, 13 or 18
    const hourly = parseRecurrence('FREQ=HOURLY;INTERVAL=3;BYHOUR=0,6,13,18', wall('2023-12-26T23:57:00'), HOUR);
    expect(hourly.ok ? 'accepted' : hourly.message).toMatch(/BYHOUR never matches/);
  });

  it('GIVEN a sparse rule WHEN asked about a time long after its last listed occurrence THEN the next one is still found', () => {
    // the 2nd of a month that is a Monday, Tuesday or Wednesday: months apart
    const r = parsed('FREQ=DAILY;BYDAY=MO,TU,WE;BYMONTHDAY=2;BYHOUR=0', wall('2021-07-22T00:00:00'), 79 * HOUR);
    expect(recurrenceCovering(r, wall('2024-01-01T00:00:00'))).toBeUndefined();
    expect(recurrenceNextChange(r, wall('2024-01-01T00:00:00'), wall('2025-01-01T00:00:00'))).toBe(
      wall('2024-01-02T00:00:00'),
    );
    expect(recurrenceNextChange(r, wall('2024-01-06T00:00:00'), wall('2025-01-01T00:00:00'))).toBe(
      wall('2024-04-02T00:00:00'),
    );
  });

  it('GIVEN occurrences that overlap without end WHEN covered THEN the walk stops at the chain limit, where nothing changes', () => {
    const r = parsed('FREQ=HOURLY;INTERVAL=6', wall('2025-01-01T00:00:00'), 63 * HOUR);
    const at = wall('2025-06-01T12:00:00');
    expect(recurrenceCovering(r, at)).toBe(at);
    expect(recurrenceNextChange(r, at, at + 400 * DAY)).toBe(at + CHAIN_LIMIT);
    expect(recurrenceNextChange(r, at, at + 10 * DAY)).toBeUndefined();
  });

  it('GIVEN a yearly rule WHEN asked for the next boundary beyond the horizon THEN none is found', () => {
    const r = parsed('FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24', wall('2000-01-03T00:00:00'), DAY);
    expect(recurrenceNextChange(r, wall('2025-01-01T00:00:00'), wall('2025-06-01T00:00:00'))).toBeUndefined();
    expect(recurrenceNextChange(r, wall('2025-01-01T00:00:00'), wall('2026-01-01T00:00:00'))).toBe(
      wall('2025-12-24T00:00:00'),
    );
  });

  it('GIVEN any rule, start and time WHEN asked THEN the answers match rrule iterating from the start', () => {
    const freq = fc.constantFrom('HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY');
    const rule = fc.record({
      freq,
      interval: fc.integer({ min: 1, max: 3 }),
      byday: fc.option(fc.subarray(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], { minLength: 1 }), { nil: undefined }),
      byhour: fc.option(fc.subarray([0, 6, 9, 13, 18, 23], { minLength: 1 }), { nil: undefined }),
      bymonthday: fc.option(fc.integer({ min: 1, max: 28 }), { nil: undefined }),
      bysetpos: fc.option(fc.constantFrom(1, 2, -1), { nil: undefined }),
      byweekno: fc.option(fc.constantFrom(1, 10, 52, -1), { nil: undefined }),
      durationH: fc.integer({ min: 1, max: 80 }),
      startDaysBefore: fc.integer({ min: 0, max: 900 }),
      startMinute: fc.integer({ min: 0, max: 1439 }),
      at: fc.integer({ min: wall('2024-01-01T00:00:00'), max: wall('2027-01-01T00:00:00') }),
    });
    fc.assert(
      fc.property(rule, (g) => {
        const parts = [`FREQ=${g.freq}`, `INTERVAL=${g.interval}`];
        if (g.byday) parts.push(`BYDAY=${g.byday.join(',')}`);
        if (g.byhour) parts.push(`BYHOUR=${g.byhour.join(',')}`);
        if (g.bymonthday && g.freq !== 'WEEKLY') parts.push(`BYMONTHDAY=${g.bymonthday}`);
        if (g.bysetpos && g.byday && g.freq !== 'HOURLY' && g.freq !== 'DAILY') parts.push(`BYSETPOS=${g.bysetpos}`);
        if (g.byweekno && g.freq === 'YEARLY') parts.push(`BYWEEKNO=${g.byweekno}`);
        const text = parts.join(';');
        // hourly rules iterate hour by hour in the reference: keep their start near
        const daysBefore = g.freq === 'HOURLY' ? g.startDaysBefore % 20 : g.startDaysBefore;
        const start = Math.floor((g.at - daysBefore * DAY) / DAY) * DAY + g.startMinute * 60_000;
        const duration = g.durationH * HOUR;
        const r = parseRecurrence(text, start, duration);
        if (!r.ok) return;
        const reference = new RRule({ ...RRule.parseString(text), dtstart: new Date(start) }, true);
        const latest = reference.before(new Date(g.at), true)?.getTime();
        const covering = latest !== undefined && g.at < latest + duration ? latest : undefined;
        expect(recurrenceCovering(r.value, g.at)).toBe(covering);
        const horizon = g.at + 400 * DAY;
        let expected: number | undefined;
        if (covering === undefined) {
          const next = reference.after(new Date(g.at), false)?.getTime();
          expected = next !== undefined && next <= horizon ? next : undefined;
        } else {
          // the end of the run of overlapping occurrences, walked no further than the chain limit
          const limit = Math.min(horizon, g.at + CHAIN_LIMIT);
          let end = covering + duration;
          let t = g.at;
          while (end <= limit) {
            const s = reference.after(new Date(t), false)?.getTime();
            if (s === undefined || s >= end) break;
            t = s;
            end = Math.max(end, s + duration);
          }
          expected = end <= limit ? end : limit < horizon ? limit : undefined;
        }
        expect(recurrenceNextChange(r.value, g.at, horizon)).toBe(expected);
      }),
      { numRuns: 120, seed: 20251205 },
    );
  }, 30_000);
});
