import { describe, expect, it } from 'vitest';
import { compileWeekly, weeklyCovers, weeklyNextBoundary, weeklyNextChange } from './weekly-schedule.js';

// floating ms: wall-clock time as if UTC; 2025-12-01 is a Monday
const wall = (iso: string) => Date.parse(`${iso}Z`);

describe('weekly schedules', () => {
  it('GIVEN office hours WHEN asked about times of the week THEN inside is [from, to)', () => {
    const w = compileWeekly(['mon', 'tue', 'wed', 'thu', 'fri'], '09:00', '17:00');
    expect(weeklyCovers(w, wall('2025-12-01T09:00:00'))).toBe(true);
    expect(weeklyCovers(w, wall('2025-12-05T16:59:00'))).toBe(true);
    expect(weeklyCovers(w, wall('2025-12-05T17:00:00'))).toBe(false);
    expect(weeklyCovers(w, wall('2025-12-06T12:00:00'))).toBe(false);
    expect(weeklyCovers(w, wall('2025-12-01T08:59:59'))).toBe(false);
  });

  it('GIVEN a range past midnight WHEN asked THEN it runs into the next day, also Sunday into Monday', () => {
    const w = compileWeekly(['sun'], '22:00', '06:00');
    expect(weeklyCovers(w, wall('2025-12-07T23:00:00'))).toBe(true);
    expect(weeklyCovers(w, wall('2025-12-08T05:59:00'))).toBe(true);
    expect(weeklyCovers(w, wall('2025-12-08T06:00:00'))).toBe(false);
    expect(weeklyCovers(w, wall('2025-12-06T23:00:00'))).toBe(false);
  });

  it('GIVEN a time WHEN asked for the next boundary THEN the next start or end comes, across the week end', () => {
    const w = compileWeekly(['mon', 'fri'], '09:00', '17:00');
    expect(weeklyNextBoundary(w, wall('2025-12-01T10:00:00'))).toBe(wall('2025-12-01T17:00:00'));
    expect(weeklyNextBoundary(w, wall('2025-12-01T17:00:00'))).toBe(wall('2025-12-05T09:00:00'));
    expect(weeklyNextBoundary(w, wall('2025-12-06T10:00:00'))).toBe(wall('2025-12-08T09:00:00'));
    expect(weeklyNextBoundary(compileWeekly(['sun'], '22:00', '06:00'), wall('2025-12-07T23:00:00'))).toBe(
      wall('2025-12-08T06:00:00'),
    );
  });

  it('GIVEN times before 1970 WHEN asked THEN the week still starts on Monday', () => {
    const w = compileWeekly(['mon'], '00:00', '24:00');
    expect(weeklyCovers(w, wall('1969-12-29T12:00:00'))).toBe(true);
    expect(weeklyCovers(w, wall('1969-12-30T12:00:00'))).toBe(false);
  });
});

describe('changes of a weekly schedule', () => {
  it('GIVEN whole days back to back WHEN asked for the next change THEN midnights between them are no change', () => {
    const w = compileWeekly(['sat', 'sun', 'mon'], '00:00', '24:00');
    expect(weeklyNextChange(w, wall('2025-12-06T10:00:00'))).toBe(wall('2025-12-09T00:00:00'));
    expect(weeklyNextChange(w, wall('2025-12-03T10:00:00'))).toBe(wall('2025-12-06T00:00:00'));
    expect(
      weeklyNextChange(compileWeekly(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], '00:00', '24:00'), 0),
    ).toBeUndefined();
  });
});
