import type { ApiCheckResult } from '@gantry/api';
import { describe, expect, it } from 'vitest';
import { checkDuration, describeEvidence, resultsByRun } from './check-format.js';

const common = {
  name: 'c',
  status: 'failed' as const,
  reason: 'r',
  output: '',
  outputTruncated: false,
  attempts: 1,
  startedAt: '2030-01-01T00:00:00.000Z',
  finishedAt: '2030-01-01T00:00:01.400Z',
};

describe('check result formatting', () => {
  it('GIVEN each kind of check THEN what it saw in one line', () => {
    const http: ApiCheckResult = {
      ...common,
      kind: 'http',
      evidence: { url: 'https://staging.example.com/healthz', method: 'GET', statusCode: 503 },
    };
    expect(describeEvidence(http)).toBe('GET https://staging.example.com/healthz → 503');
    expect(describeEvidence({ ...http, evidence: { url: 'http://x', method: 'GET', error: 'ECONNREFUSED' } })).toBe(
      'GET http://x → ECONNREFUSED',
    );
    const prometheus: ApiCheckResult = {
      ...common,
      kind: 'prometheus',
      evidence: { server: 'p', query: 'error_rate', expect: '< 0.01', value: '0.02', sampleCount: 1, samples: [] },
    };
    expect(describeEvidence(prometheus)).toBe('error_rate = 0.02 (expected < 0.01; 1 sample)');
    const command = (e: Partial<Extract<ApiCheckResult, { kind: 'command' }>['evidence']>): ApiCheckResult => ({
      ...common,
      kind: 'command',
      evidence: { argv: ['npm', 'test'], exitCode: null, signal: null, timedOut: false, ...e },
    });
    expect(describeEvidence(command({ exitCode: 1 }))).toBe('npm test → exit 1');
    expect(describeEvidence(command({ timedOut: true, signal: 'SIGKILL' }))).toBe('npm test → timed out');
    expect(checkDuration(http)).toBe('1.4s');
  });

  it('GIVEN results of several runs THEN grouped, newest run first, each in recorded order', () => {
    const entry = (run: number, name: string) => ({
      run,
      name,
      recordedAt: common.finishedAt,
      result: { ...common, name, kind: 'http' as const, evidence: { url: 'u', method: 'GET' } },
    });
    const groups = resultsByRun([entry(1, 'a'), entry(1, 'b'), entry(2, 'a'), entry(2, 'b')]);
    expect(groups.map((g) => [g.run, g.results.map((r) => r.name)])).toEqual([
      [2, ['a', 'b']],
      [1, ['a', 'b']],
    ]);
  });
});
