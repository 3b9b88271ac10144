import { describe, expect, it } from 'vitest';
import { metricsHref, parseRoute } from '../../app/routes.js';

describe('the metrics route', () => {
  it('GIVEN a metrics URL WHEN parsed THEN its scope and period, and metricsHref writes it back', () => {
    const route = parseRoute('/delivery-metrics', '?pipeline=app&since=90d&ignored=1');
    expect(route).toEqual({ kind: 'metrics', pipeline: 'app', since: '90d' });
    expect(parseRoute('/delivery-metrics', '')).toEqual({ kind: 'metrics' });
    expect(metricsHref({ pipeline: 'app', since: '90d' })).toBe('/delivery-metrics?pipeline=app&since=90d');
    expect(metricsHref({ from: '2025-03-01', to: '2025-03-08', phase: undefined })).toBe(
      '/delivery-metrics?from=2025-03-01&to=2025-03-08',
    );
    expect(metricsHref()).toBe('/delivery-metrics');
  });
});
