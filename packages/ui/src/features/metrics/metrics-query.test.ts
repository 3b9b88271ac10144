import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../app/routes.js';
import { metricsApiQuery } from './metrics-query.js';

describe('metricsApiQuery', () => {
  it('GIVEN a metrics page URL WHEN its API query is made THEN the page parameters in a fixed order, 30 days by default', () => {
    const of = (search: string) => {
      const { kind: _, ...q } = parseRoute('/delivery-metrics', search) as { kind: string };
      return metricsApiQuery(q);
    };
    expect(of('')).toBe('since=30d');
    expect(of('?phase=production&pipeline=app&since=90d')).toBe('since=90d&pipeline=app&phase=production');
    // from alone: no default span; to alone: the default span up to it
    expect(of('?to=2025-03-08&from=2025-03-01')).toBe('from=2025-03-01&to=2025-03-08');
    expect(of('?to=2025-03-08')).toBe('to=2025-03-08&since=30d');
    expect(of('?pipeline=a%20b&since=')).toBe('since=30d&pipeline=a+b');
  });
});
