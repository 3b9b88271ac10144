import { describe, expect, it } from 'vitest';
import { formatBound, formatFrequency, formatRate, formatSeconds } from './metrics-format.js';

describe('metrics display', () => {
  it('GIVEN seconds, rates and frequencies WHEN formatted THEN as people say them, a dash for no sample', () => {
    expect(formatSeconds(null)).toBe('–');
    expect(formatSeconds(45 * 60)).toBe('45m');
    expect(formatSeconds(3.5 * 3600)).toBe('3h 30m');
    expect(formatSeconds(66 * 3600)).toBe('2d 18h');
    expect(formatRate(0.375)).toBe('37.5%');
    expect(formatFrequency(5 / 7)).toBe('5/week');
    expect(formatFrequency(8 / 7)).toBe('1.1/day');
    expect(formatFrequency(0)).toBe('0');
    expect(formatBound('2025-03-01T00:00:00.000Z')).toBe('2025-03-01');
    expect(formatBound('2025-03-01T12:30:00.000Z')).toBe('2025-03-01 12:30Z');
  });
});
