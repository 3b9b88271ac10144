import { describe, expect, it } from 'vitest';
import { formatLabels, parseQueryResponse, parseSampleValue } from './prometheus-response.js';

// shapes as documented for GET/POST /api/v1/query (Prometheus HTTP API, "Expression query result formats")
describe('Prometheus query responses', () => {
  it('GIVEN an instant vector WHEN read THEN every sample comes out with labels and value text', () => {
    const body = JSON.stringify({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { __name__: 'up', job: 'api', instance: 'a:9100' }, value: [1435781451.781, '1'] },
          { metric: { __name__: 'up', job: 'api', instance: 'b:9100' }, value: [1435781451.781, '0'] },
        ],
      },
    });
    expect(parseQueryResponse(200, body)).toEqual({
      ok: true,
      resultType: 'vector',
      samples: [
        { labels: { __name__: 'up', job: 'api', instance: 'a:9100' }, value: '1' },
        { labels: { __name__: 'up', job: 'api', instance: 'b:9100' }, value: '0' },
      ],
    });
  });

  it('GIVEN a scalar WHEN read THEN it is one sample without labels', () => {
    const body = JSON.stringify({
      status: 'success',
      data: { resultType: 'scalar', result: [1435781451.781, '0.25'] },
    });
    expect(parseQueryResponse(200, body)).toEqual({
      ok: true,
      resultType: 'scalar',
      samples: [{ labels: {}, value: '0.25' }],
    });
  });

  it('GIVEN an error envelope WHEN read THEN the error type and message come out', () => {
    const body = JSON.stringify({
      status: 'error',
      errorType: 'bad_data',
      error: '1:6: parse error: unclosed left parenthesis',
    });
    expect(parseQueryResponse(400, body)).toEqual({
      ok: false,
      error: 'query failed (bad_data): 1:6: parse error: unclosed left parenthesis',
    });
  });

  it('GIVEN a matrix, a non-JSON body or a malformed sample WHEN read THEN each is refused with a reason', () => {
    const matrix = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } });
    expect(parseQueryResponse(200, matrix)).toMatchObject({ ok: false, resultType: 'matrix' });
    expect(parseQueryResponse(502, 'Bad Gateway\n<html>...</html>')).toEqual({
      ok: false,
      error: 'Prometheus answered HTTP 502: Bad Gateway',
    });
    expect(parseQueryResponse(200, 'OK')).toEqual({
      ok: false,
      error: 'Prometheus answered HTTP 200 with a body that is not JSON',
    });
    const malformed = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {} }] } });
    expect(parseQueryResponse(200, malformed)).toMatchObject({ ok: false, error: 'malformed vector sample' });
  });

  it('GIVEN the special values Prometheus writes WHEN parsed THEN they become numbers', () => {
    expect(parseSampleValue('+Inf')).toBe(Number.POSITIVE_INFINITY);
    expect(parseSampleValue('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(parseSampleValue('1e-3')).toBe(0.001);
    expect(formatLabels({ job: 'api' })).toBe('{job="api"}');
    expect(formatLabels({})).toBe('');
  });
});
