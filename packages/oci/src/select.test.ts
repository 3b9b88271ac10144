import { describe, expect, it } from 'vitest';
import { checkSelect, describeSelect, pickLexical, pickNewest, pickSemver, versionOfTag } from './select.js';

describe('pickSemver', () => {
  const tags = ['latest', '1.0.0', '1.2.0', 'v1.3.1', '1.10.0', '2.0.0', '2.1.0-rc.1', 'main-abc'];

  it('GIVEN tags of mixed forms WHEN a caret range is asked THEN the highest match wins, not the last string', () => {
    expect(pickSemver(tags, '^1.2')).toBe('1.10.0');
  });

  it('GIVEN a v-prefixed tag WHEN it is the highest match THEN it is picked', () => {
    expect(pickSemver(tags, '~1.3')).toBe('v1.3.1');
  });

  it('GIVEN a prerelease above the highest release WHEN prereleases are excluded THEN the release wins', () => {
    expect(pickSemver(tags, '>=2.0.0')).toBe('2.0.0');
    expect(pickSemver(tags, '>=2.0.0', true)).toBe('2.1.0-rc.1');
  });

  it('GIVEN no tag in range WHEN asked THEN nothing is picked', () => {
    expect(pickSemver(tags, '^3')).toBeUndefined();
  });

  it('GIVEN Helm tags with _ for + WHEN compared THEN they are read as build metadata', () => {
    expect(versionOfTag('1.2.3_build.4')).toBe('1.2.3+build.4');
    expect(pickSemver(['1.2.3_build.4', '1.2.2'], '^1')).toBe('1.2.3_build.4');
  });

  it('GIVEN the same version twice (v1.0.0, 1.0.0) WHEN picked THEN the choice is stable', () => {
    expect(pickSemver(['v1.0.0', '1.0.0'], '1')).toBe(pickSemver(['1.0.0', 'v1.0.0'], '1'));
  });
});

describe('pickLexical', () => {
  it('GIVEN date-stamped tags WHEN picked THEN the highest string wins', () => {
    expect(pickLexical(['main-20240101', 'main-20240315', 'main-20231231'])).toBe('main-20240315');
  });

  it('GIVEN a pattern WHEN picked THEN only matching tags compete', () => {
    expect(pickLexical(['main-2', 'release-9', 'main-3'], '^main-')).toBe('main-3');
  });

  it('GIVEN upper and lower case WHEN compared THEN code-unit order is used, not locale', () => {
    expect(pickLexical(['B', 'a'])).toBe('a');
  });

  it('GIVEN no tag matches WHEN picked THEN nothing is picked', () => {
    expect(pickLexical(['a', 'b'], '^z')).toBeUndefined();
  });
});

describe('pickNewest', () => {
  it('GIVEN creation times WHEN picked THEN the latest wins regardless of tag order', () => {
    expect(
      pickNewest([
        { tag: 'z-old', created: new Date('2024-01-01T00:00:00Z') },
        { tag: 'a-new', created: new Date('2024-06-01T00:00:00Z') },
        { tag: 'm-mid', created: new Date('2024-03-01T00:00:00Z') },
      ]),
    ).toBe('a-new');
  });

  it('GIVEN images without a creation time WHEN picked THEN they never win', () => {
    expect(pickNewest([{ tag: 'none' }, { tag: 'dated', created: new Date(0) }])).toBe('dated');
    expect(pickNewest([{ tag: 'none' }])).toBeUndefined();
  });

  it('GIVEN equal times WHEN picked THEN the larger tag wins, whatever the input order', () => {
    const t = new Date('2024-01-01T00:00:00Z');
    expect(
      pickNewest([
        { tag: 'a', created: t },
        { tag: 'b', created: t },
      ]),
    ).toBe('b');
    expect(
      pickNewest([
        { tag: 'b', created: t },
        { tag: 'a', created: t },
      ]),
    ).toBe('b');
  });
});

describe('checkSelect and describeSelect', () => {
  it('GIVEN an invalid range or regex WHEN checked THEN invalid_select is thrown', () => {
    expect(() => checkSelect({ by: 'semver', range: 'not a range' })).toThrow(
      expect.objectContaining({ code: 'invalid_select' }),
    );
    expect(() => checkSelect({ by: 'lexical', pattern: '(' })).toThrow(
      expect.objectContaining({ code: 'invalid_select' }),
    );
  });

  it('GIVEN each select WHEN described THEN it reads as in status output', () => {
    expect(describeSelect({ by: 'tag', tag: 'latest' })).toBe(':latest');
    expect(describeSelect({ by: 'semver', range: '^1.2' })).toBe(' semver ^1.2');
    expect(describeSelect({ by: 'lexical', pattern: '^main-' })).toBe(' lexical /^main-/');
    expect(describeSelect({ by: 'newest' })).toBe(' newest');
  });
});
