import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_RETRY, retryAfterMs } from './retry.js';

describe('Retry-After and back-off', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 7 ', 7000],
    ['Sun, 01 Mar 2026 12:00:30 GMT', 30_000],
    ['Sun, 01 Mar 2026 11:00:00 GMT', 0],
  ])('GIVEN Retry-After %j WHEN read THEN it is %d ms from now', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });

  it.each([null, undefined, '', 'soon', '-5', '1.5'])('GIVEN Retry-After %j WHEN read THEN it says nothing', (h) => {
    expect(retryAfterMs(h, now)).toBeUndefined();
  });

  it('GIVEN tries that keep failing WHEN backing off THEN each wait doubles, between half and all of base * 2^(n-1)', () => {
    expect([1, 2, 3].map((n) => backoffMs(n, DEFAULT_RETRY, () => 0))).toEqual([500, 1000, 2000]);
    expect([1, 2, 3].map((n) => backoffMs(n, DEFAULT_RETRY, () => 1))).toEqual([1000, 2000, 4000]);
  });
});
