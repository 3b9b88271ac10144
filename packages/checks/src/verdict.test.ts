import { describe, expect, it } from 'vitest';
import type { CheckResult } from './result.js';
import { checkResultSchema } from './result.js';
import { evaluateVerdict } from './verdict.js';

function result(name: string, status: 'passed' | 'failed', finishedAt: string): CheckResult {
  return {
    name,
    kind: 'command',
    status,
    reason: status === 'passed' ? 'exited with 0' : 'exited with 1',
    output: '',
    outputTruncated: false,
    attempts: 1,
    startedAt: '2025-01-01T10:00:00.000Z',
    finishedAt,
    evidence: { argv: ['true'], exitCode: status === 'passed' ? 0 : 1, signal: null, timedOut: false },
  };
}

describe('the verdict of recorded results', () => {
  it('GIVEN every check passed WHEN evaluated THEN verified, at the last finish, results in check order', () => {
    const v = evaluateVerdict(
      ['health', 'smoke'],
      [result('smoke', 'passed', '2025-01-01T10:00:09.000Z'), result('health', 'passed', '2025-01-01T10:00:03.000Z')],
    );
    expect(v.state).toBe('verified');
    expect(v.state === 'verified' && v.at).toBe('2025-01-01T10:00:09.000Z');
    expect(v.state === 'verified' && v.results.map((r) => r.name)).toEqual(['health', 'smoke']);
  });

  it('GIVEN one check failed WHEN evaluated THEN failed names it, even while another has no result yet', () => {
    const v = evaluateVerdict(['health', 'smoke', 'errors'], [result('smoke', 'failed', '2025-01-01T10:00:05.000Z')]);
    expect(v.state).toBe('failed');
    expect(v.state === 'failed' && v.failed.map((r) => r.name)).toEqual(['smoke']);
    expect(v.state === 'failed' && v.at).toBe('2025-01-01T10:00:05.000Z');
  });

  it('GIVEN two failed checks WHEN evaluated THEN both are listed, the earliest first, and it failed at the first', () => {
    const v = evaluateVerdict(
      ['a', 'b'],
      [result('a', 'failed', '2025-01-01T10:00:08.000Z'), result('b', 'failed', '2025-01-01T10:00:02.000Z')],
    );
    expect(v.state === 'failed' && v.failed.map((r) => r.name)).toEqual(['b', 'a']);
    expect(v.state === 'failed' && v.at).toBe('2025-01-01T10:00:02.000Z');
  });

  it('GIVEN some checks have no result and none failed WHEN evaluated THEN pending, naming the missing ones', () => {
    const v = evaluateVerdict(
      [{ name: 'health' }, { name: 'smoke' }],
      [result('health', 'passed', '2025-01-01T10:00:01.000Z')],
    );
    expect(v).toMatchObject({ state: 'pending', missing: ['smoke'] });
  });

  it('GIVEN a failed check that was re-run and passed WHEN evaluated THEN only the latest result counts', () => {
    const v = evaluateVerdict(
      ['smoke'],
      [result('smoke', 'passed', '2025-01-01T11:00:00.000Z'), result('smoke', 'failed', '2025-01-01T10:00:00.000Z')],
    );
    expect(v.state).toBe('verified');
    const again = evaluateVerdict(
      ['smoke'],
      [result('smoke', 'passed', '2025-01-01T10:00:00.000Z'), result('smoke', 'failed', '2025-01-01T11:00:00.000Z')],
    );
    expect(again.state).toBe('failed');
  });

  it('GIVEN results of a check no longer listed WHEN evaluated THEN they are ignored', () => {
    const v = evaluateVerdict(
      ['health'],
      [result('health', 'passed', '2025-01-01T10:00:00.000Z'), result('removed', 'failed', '2025-01-01T10:00:00.000Z')],
    );
    expect(v.state).toBe('verified');
  });

  it('GIVEN no checks WHEN evaluated THEN "no-checks", never verified by default', () => {
    expect(evaluateVerdict([], [result('x', 'passed', '2025-01-01T10:00:00.000Z')])).toEqual({ state: 'no-checks' });
  });

  it('GIVEN a result stored as JSON WHEN read back through the schema THEN it is the same result', () => {
    const r = result('smoke', 'failed', '2025-01-01T10:00:00.000Z');
    expect(checkResultSchema.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(checkResultSchema.safeParse({ ...r, status: 'unknown' }).success).toBe(false);
  });
});
