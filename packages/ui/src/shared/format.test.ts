import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, isHttpUrl, labelPairs, shortDigest, shortSha } from './format.js';

describe('format', () => {
  it('GIVEN a digest THEN its first 12 hex digits; GIVEN nothing THEN empty', () => {
    expect(shortDigest('sha256:a39103bbfedb0a1e910b503a')).toBe('a39103bbfedb');
    expect(shortDigest(undefined)).toBe('');
  });

  it('GIVEN a commit id THEN 8 characters; GIVEN a digest THEN the digest form', () => {
    expect(shortSha('df71bd11087227d4b8ee139a83604112ae1cfd5a')).toBe('df71bd11');
    expect(shortSha('sha256:a39103bbfedb0a1e910b')).toBe('a39103bbfedb');
  });

  it('GIVEN ages THEN the largest sensible unit', () => {
    expect([0, 42_000, 300_000, 3 * 3600_000, 50 * 3600_000].map(formatAge)).toEqual(['0s', '42s', '5m', '3h', '2d']);
  });

  it('GIVEN an age between two units THEN the whole units passed, never rounded up', () => {
    expect([59_999, 60_000, 150_000, 179_999, 3_599_999].map(formatAge)).toEqual(['59s', '1m', '2m', '2m', '59m']);
  });

  it('GIVEN durations THEN seconds with a decimal under 10 s, minutes and seconds above a minute', () => {
    expect([1400, 12_000, 125_000, 120_000].map(formatDuration)).toEqual(['1.4s', '12s', '2m 5s', '2m']);
  });

  it('GIVEN labels THEN k=v pairs; GIVEN URLs THEN recognised', () => {
    expect(labelPairs({ environment: 'staging', team: 'a' })).toEqual(['environment=staging', 'team=a']);
    expect(isHttpUrl('https://staging.example.com')).toBe(true);
    expect(isHttpUrl('staging')).toBe(false);
  });
});
