import { describe, expect, it } from 'vitest';
import { backoff, DEFAULT_RETRY } from './backoff.js';
import { filterOf, httpOutcome, parseRetryAfter } from './channel.js';
import { event, failed } from './events.test-support.js';

const NOW = new Date('2025-01-02T03:04:05Z');

describe('delivery outcomes', () => {
  it('GIVEN Retry-After as seconds or as an HTTP date WHEN parsed THEN the wait from now', () => {
    expect(parseRetryAfter('120', NOW)).toEqual({ ms: 120_000 });
    expect(parseRetryAfter('Thu, 02 Jan 2025 03:04:35 GMT', NOW)).toEqual({ ms: 30_000 });
    expect(parseRetryAfter('Thu, 02 Jan 2025 03:00:00 GMT', NOW)).toEqual({ ms: 0 });
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });

  it('GIVEN HTTP answers WHEN classified THEN 2xx delivered, 408/429/5xx retryable, other 4xx and redirects final', () => {
    const h = (init: Record<string, string> = {}) => new Headers(init);
    expect(httpOutcome(204, h(), '', NOW)).toEqual({ kind: 'delivered', statusCode: 204 });
    expect(httpOutcome(429, h({ 'retry-after': '5' }), 'slow down', NOW)).toEqual({
      kind: 'error',
      statusCode: 429,
      error: 'HTTP 429: slow down',
      retryable: true,
      retryAfter: { ms: 5000 },
    });
    expect(httpOutcome(408, h(), '', NOW)).toMatchObject({ retryable: true });
    expect(httpOutcome(503, h(), '', NOW)).toMatchObject({ retryable: true });
    expect(httpOutcome(404, h({ 'retry-after': '5' }), 'no_service', NOW)).toEqual({
      kind: 'error',
      statusCode: 404,
      error: 'HTTP 404: no_service',
      retryable: false,
    });
    expect(httpOutcome(302, h({ location: 'https://elsewhere' }), '', NOW)).toMatchObject({
      retryable: false,
      error: 'HTTP 302: redirected; configure the final URL',
    });
  });

  it('GIVEN attempts WHEN backing off THEN the wait doubles up to the cap, with half of it jittered', () => {
    const policy = { ...DEFAULT_RETRY, initialDelay: { ms: 1000 }, maxDelay: { ms: 5000 } };
    expect([1, 2, 3, 4].map((n) => backoff(policy, n, () => 0).ms)).toEqual([500, 1000, 2000, 2500]);
    expect([1, 2, 3, 4].map((n) => backoff(policy, n, () => 0.999999).ms)).toEqual([1000, 2000, 4000, 5000]);
  });

  it('GIVEN channel filters WHEN events arrive THEN types, pipelines and phases (with wildcards) all have to match', () => {
    const accepts = filterOf({ events: ['promotion.failed'], pipelines: ['web-*'], phases: ['prod*'] });
    expect(accepts(failed('x', { pipeline: 'web-eu', phase: 'production' }))).toBe(true);
    expect(accepts(failed('x', { pipeline: 'api', phase: 'production' }))).toBe(false);
    expect(accepts(failed('x', { pipeline: 'web-eu', phase: 'staging' }))).toBe(false);
    expect(accepts(event({ pipeline: 'web-eu', phase: 'production' }))).toBe(false);
    expect(filterOf({})(event())).toBe(true);
  });
});
