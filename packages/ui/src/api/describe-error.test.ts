import { ApiProblemError, ApiUnreachableError } from '@gantry/client';
import { describe, expect, it } from 'vitest';
import { describeError } from './describe-error.js';

describe('describeError', () => {
  it('GIVEN an unreachable server THEN tell to start gantry serve', () => {
    expect(describeError(new ApiUnreachableError('', new Error('fetch failed'))).hint).toContain('gantry serve');
  });

  it('GIVEN a 404 with known names THEN list them', () => {
    const e = new ApiProblemError({
      type: 't',
      title: 'not found',
      status: 404,
      code: 'not_found',
      detail: 'no pipeline "x"',
      known: ['app', 'web'],
    });
    expect(describeError(e)).toMatchObject({ title: 'not found', detail: 'no pipeline "x"', status: 404 });
    expect(describeError(e).hint).toContain('Known: app, web.');
  });

  it('GIVEN anything else THEN its message', () => {
    expect(describeError(new Error('boom')).detail).toBe('boom');
  });
});
