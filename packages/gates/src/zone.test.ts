import { describe, expect, it } from 'vitest';
import {
  formatInstant,
  fromFloating,
  nextOffsetChange,
  parseDateTime,
  parseFloating,
  toFloating,
  zoneOf,
} from './zone.js';

const paris = zoneOf('Europe/Paris');
const at = (iso: string) => Date.parse(iso);
const wall = (iso: string) => Date.parse(`${iso}Z`);

describe('time zones', () => {
  it('GIVEN an instant WHEN made floating THEN it reads the wall clock, winter and summer', () => {
    expect(toFloating(paris, at('2025-01-15T08:00:00Z'))).toBe(wall('2025-01-15T09:00:00'));
    expect(toFloating(paris, at('2025-07-15T08:00:00Z'))).toBe(wall('2025-07-15T10:00:00'));
  });

  it('GIVEN a wall-clock time in the spring-forward gap WHEN made real THEN it is the jump, when the clock passes it', () => {
    // 2025-03-30 02:00 -> 03:00 in Paris at 01:00Z: 02:30 never happens
    const r = fromFloating(paris, wall('2025-03-30T02:30:00'), 0);
    expect(r).toBe(at('2025-03-30T01:00:00Z'));
    expect(toFloating(paris, r as number)).toBe(wall('2025-03-30T03:00:00'));
  });

  it('GIVEN a wall-clock time that happens twice on the fall-back night WHEN made real THEN the first after `after` is taken', () => {
    // 2025-10-26 03:00 -> 02:00 in Paris: 02:30 happens at 00:30Z and at 01:30Z
    const f = wall('2025-10-26T02:30:00');
    expect(fromFloating(paris, f, 0)).toBe(at('2025-10-26T00:30:00Z'));
    expect(fromFloating(paris, f, at('2025-10-26T00:45:00Z'))).toBe(at('2025-10-26T01:30:00Z'));
    expect(fromFloating(paris, f, at('2025-10-26T01:45:00Z'))).toBeUndefined();
  });

  it('GIVEN a span holding a DST change WHEN asked for the next offset change THEN it is found to the minute', () => {
    expect(nextOffsetChange(paris, at('2025-03-01T00:00:00Z'), at('2025-04-01T00:00:00Z'))).toBe(
      at('2025-03-30T01:00:00Z'),
    );
    // there and back within one span: sampled, not missed
    expect(nextOffsetChange(paris, at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toBe(
      at('2025-03-30T01:00:00Z'),
    );
    expect(nextOffsetChange(paris, at('2025-04-01T00:00:00Z'), at('2025-10-01T00:00:00Z'))).toBeUndefined();
    expect(nextOffsetChange(zoneOf('UTC'), at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('GIVEN date-times with and without offsets WHEN parsed THEN those without are wall clock in the zone', () => {
    expect(parseDateTime('2025-12-24T18:00', 'Europe/Paris')).toBe(at('2025-12-24T17:00:00Z'));
    expect(parseDateTime('2025-12-24', 'America/New_York')).toBe(at('2025-12-24T05:00:00Z'));
    expect(parseDateTime('2025-12-24T18:00:00Z', 'Europe/Paris')).toBe(at('2025-12-24T18:00:00Z'));
    expect(parseDateTime('Christmas', 'UTC')).toBeUndefined();
    expect(parseFloating('2025-01-06T09:00')).toBe(wall('2025-01-06T09:00:00'));
    expect(parseFloating('2025-01-06')).toBe(wall('2025-01-06T00:00:00'));
    expect(parseFloating('2025-01-06T09:00+01:00')).toBeUndefined();
  });

  it('GIVEN an instant WHEN formatted for a reason THEN it reads as wall clock, zone and distance', () => {
    const now = at('2025-12-05T17:30:00Z');
    expect(formatInstant(paris, at('2025-12-08T08:00:00Z'), now)).toBe('Mon 09:00 Europe/Paris (in 2d 14h)');
    expect(formatInstant(paris, at('2026-01-05T08:00:00Z'), now)).toBe(
      'Mon 5 Jan 2026 09:00 Europe/Paris (in 30d 14h)',
    );
    expect(formatInstant(paris, at('2025-12-20T08:00:00Z'), now)).toBe('Sat 20 Dec 09:00 Europe/Paris (in 14d 14h)');
  });
});
