import { describe, expect, it } from 'vitest';
import { trackTarget } from './track.js';

const ID = '0b6f9c55-2d2c-4a53-9b55-6f4f7cbbd1a1';

describe('what gantry track follows', () => {
  it('GIVEN one argument WHEN it is a promotion id THEN that promotion', () => {
    expect(trackTarget(ID.toUpperCase(), undefined, {})).toEqual({ id: ID });
  });

  it('GIVEN a pipeline and a phase THEN its promotion to the digest or commit, or the newest', () => {
    expect(trackTarget('app', 'staging', { digest: 'sha256:abcdef01' })).toEqual({
      pipeline: 'app',
      phase: 'staging',
      match: { digest: 'sha256:abcdef01' },
    });
    expect(trackTarget('app', 'staging', { commit: 'abcdef0' })).toMatchObject({ match: { commit: 'abcdef0' } });
    expect(trackTarget('app', 'staging', {})).toMatchObject({ match: {} });
  });

  it.each([
    ['app', undefined, {}, 'is not a promotion id'],
    [ID, undefined, { digest: 'abcdef01' }, '--digest and --commit choose a promotion of <pipeline> <phase>'],
    ['app', 'staging', { digest: 'abcdef01', commit: 'abcdef01' }, 'not both'],
    ['app', 'staging', { digest: 'latest' }, '--digest "latest": give 7 or more hex characters'],
    ['app', 'staging', { commit: 'abc' }, '--commit "abc"'],
  ])('GIVEN %s %s %j THEN refused as invalid input naming it', (first, phase, flags, message) => {
    expect(() => trackTarget(first, phase, flags)).toThrow(
      expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining(message) }),
    );
  });
});
