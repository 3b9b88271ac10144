import { parseCheck, runCheck } from '@gantry/checks';
import type { TestPrometheus } from '@gantry/testing';
import { hasTool, startPrometheus } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from './helpers.js';
import { listen, promotion } from './helpers.js';

/** A scrape target whose metric values the test sets (text exposition format 0.0.4). */
function metricsTarget() {
  const values = new Map<string, number>();
  return {
    set: (series: string, value: number) => values.set(series, value),
    start: () =>
      listen((_req, res) => {
        const lines = [...values].map(([series, v]) => `${series} ${v}`);
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(`# TYPE gantry_test_error_ratio gauge\n${lines.join('\n')}\n`);
      }),
  };
}

const quick = { retries: 0, interval: '10ms', timeout: '5s' } as const;

describe.skipIf(!hasTool('prometheus'))('Prometheus checks against a real Prometheus', () => {
  const target = metricsTarget();
  let server: LocalServer;
  let prometheus: TestPrometheus;

  beforeAll(async () => {
    target.set('gantry_test_error_ratio', 0.001);
    target.set(`gantry_test_build_info{version="${promotion.version}"}`, 1);
    server = await target.start();
    prometheus = await startPrometheus({
      scrapeTargets: [`127.0.0.1:${server.port}`],
      scrapeInterval: { ms: 1000 },
    });
  });
  afterAll(async () => {
    await prometheus?.stop();
    await server?.close();
  });

  /** Sets the metric and waits until Prometheus has scraped the new value. */
  async function scraped(value: number): Promise<void> {
    target.set('gantry_test_error_ratio', value);
    await prometheus.waitFor('gantry_test_error_ratio', (s) => s[0]?.value === String(value));
  }

  const errorRatio = (expect: string) =>
    parseCheck({ kind: 'prometheus', server: prometheus.url, query: 'gantry_test_error_ratio', expect, ...quick });

  it('GIVEN the error ratio is 0.001 WHEN "< 0.01" is checked THEN it passes with the value as evidence', async () => {
    await scraped(0.001);
    const result = await runCheck(errorRatio('< 0.01'), promotion);
    expect(result.status).toBe('passed');
    expect(result.kind === 'prometheus' && result.evidence.value).toBe('0.001');
    expect(result.reason).toContain('0.001');
  });

  it('GIVEN the error ratio is 0.5 WHEN "< 0.01" is checked THEN it fails with 0.5 as evidence', async () => {
    await scraped(0.5);
    const result = await runCheck(errorRatio('< 0.01'), promotion);
    expect(result.status).toBe('failed');
    expect(result.kind === 'prometheus' && result.evidence.value).toBe('0.5');
    expect(result.reason).toMatch(/value 0\.5.* is not < 0\.01/);
    expect(result.output).toContain('"status":"success"');
  });

  it('GIVEN a structured bound WHEN ">= 0.5" is checked on 0.5 THEN it passes', async () => {
    await scraped(0.5);
    const check = parseCheck({
      kind: 'prometheus',
      server: prometheus.url,
      query: 'max(gantry_test_error_ratio)',
      expect: { op: '>=', value: 0.5 },
      ...quick,
    });
    expect((await runCheck(check, promotion)).status).toBe('passed');
  });

  it('GIVEN a series nobody exposes WHEN it is checked THEN it fails as "no data", and passes only with onEmpty: pass', async () => {
    const input = {
      kind: 'prometheus',
      server: prometheus.url,
      query: 'gantry_test_absent_metric',
      expect: '== 0',
      ...quick,
    };
    const failed = await runCheck(parseCheck(input), promotion);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toContain('no data');
    expect(failed.kind === 'prometheus' && failed.evidence.sampleCount).toBe(0);

    const tolerated = await runCheck(parseCheck({ ...input, onEmpty: 'pass' }), promotion);
    expect(tolerated.status).toBe('passed');
  });

  it('GIVEN a query naming {{version}} WHEN the promoted version is the one exposed THEN it passes; another version has no data', async () => {
    await prometheus.waitFor('gantry_test_build_info', (s) => s.length === 1);
    const check = parseCheck({
      kind: 'prometheus',
      server: prometheus.url,
      query: 'gantry_test_build_info{version="{{version}}"}',
      expect: '== 1',
      ...quick,
    });
    const passed = await runCheck(check, promotion);
    expect(passed.status).toBe('passed');
    expect(passed.kind === 'prometheus' && passed.evidence.query).toBe(
      `gantry_test_build_info{version="${promotion.version}"}`,
    );

    const other = await runCheck(check, { ...promotion, version: '9.9.9' });
    expect(other.status).toBe('failed');
    expect(other.reason).toContain('no data');
  });

  it('GIVEN a malformed PromQL query WHEN it is checked THEN it fails with the query error', async () => {
    const check = parseCheck({ kind: 'prometheus', server: prometheus.url, query: 'rate(', expect: '< 1', ...quick });
    const result = await runCheck(check, promotion);
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/cannot evaluate: query failed \(bad_data\)/);
  });

  it('GIVEN a range query WHEN it is checked THEN it fails: a check needs an instant value', async () => {
    const check = parseCheck({
      kind: 'prometheus',
      server: prometheus.url,
      query: 'gantry_test_error_ratio[1m]',
      expect: '< 1',
      ...quick,
    });
    const result = await runCheck(check, promotion);
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('matrix');
  });
});

describe.skipIf(!hasTool('prometheus'))('Prometheus checks when Prometheus cannot answer', () => {
  it('GIVEN Prometheus was stopped WHEN a check runs with retries THEN it fails with the reason after every attempt', async () => {
    const prometheus = await startPrometheus({ scrapeTargets: [] });
    const url = prometheus.url;
    await prometheus.stop();
    const check = parseCheck({
      kind: 'prometheus',
      server: url,
      query: 'up',
      expect: '== 1',
      retries: 2,
      interval: '10ms',
      timeout: '2s',
    });
    const result = await runCheck(check, promotion);
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(3);
    expect(result.reason).toContain(`cannot evaluate: Prometheus at ${url}: connection refused`);
    expect(result.kind === 'prometheus' && result.evidence.error).toBe('ECONNREFUSED');
  });

  describe.skipIf(!hasTool('perl'))('with basic auth', () => {
    let prometheus: TestPrometheus;
    beforeAll(async () => {
      prometheus = await startPrometheus({ scrapeTargets: [], basicAuth: true });
    });
    afterAll(() => prometheus?.stop());

    it('GIVEN the right credentials WHEN a query is checked THEN it passes; without them it fails with 401', async () => {
      // no targets to scrape: a constant vector is enough to prove the request got through
      const input = { kind: 'prometheus', server: prometheus.url, query: 'vector(1)', expect: '== 1', ...quick };
      const auth = { username: prometheus.username as string, password: prometheus.password as string };
      expect((await runCheck(parseCheck({ ...input, auth }), promotion)).status).toBe('passed');

      const refused = await runCheck(parseCheck(input), promotion);
      expect(refused.status).toBe('failed');
      expect(refused.reason).toMatch(/^cannot evaluate: Prometheus answered HTTP 401/);
    });
  });
});
