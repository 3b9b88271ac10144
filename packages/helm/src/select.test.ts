import { SourceError } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import type { ChartVersionEntry } from './index-file.js';
import { checkChartSelect, describeChartSelect, pickChartVersion } from './select.js';

const day = (n: number) => new Date(Date.UTC(2024, 0, n));
const entry = (version: string, created?: Date): ChartVersionEntry => ({
  name: 'app',
  version,
  urls: [`app-${version}.tgz`],
  deprecated: false,
  ...(created ? { created } : {}),
});

// created in an order that differs from semver order, so each select picks a different version
const versions = [
  entry('2.1.0-rc.1', day(9)),
  entry('1.10.0', day(3)),
  entry('1.9.0', day(5)),
  entry('1.2.0', day(1)),
  entry('0.9.0'),
];

describe('pickChartVersion', () => {
  it('GIVEN a caret range WHEN picked THEN the highest matching version wins, not the last string', () => {
    expect(pickChartVersion(versions, { by: 'semver', range: '^1.2' })?.version).toBe('1.10.0');
  });

  it('GIVEN a pre-release above every release WHEN pre-releases are not asked for THEN the release wins', () => {
    expect(pickChartVersion(versions, { by: 'semver', range: '*' })?.version).toBe('1.10.0');
    expect(pickChartVersion(versions, { by: 'semver', range: '>=1.0.0' })?.version).toBe('1.10.0');
  });

  it('GIVEN a pre-release WHEN includePrerelease THEN it is picked', () => {
    expect(pickChartVersion(versions, { by: 'semver', range: '>=1.0.0', includePrerelease: true })?.version).toBe(
      '2.1.0-rc.1',
    );
  });

  it('GIVEN no version in range WHEN picked THEN nothing is', () => {
    expect(pickChartVersion(versions, { by: 'semver', range: '^3' })).toBeUndefined();
  });

  it('GIVEN an exact version WHEN it is listed THEN that entry, else nothing', () => {
    expect(pickChartVersion(versions, { by: 'version', version: '1.9.0' })?.version).toBe('1.9.0');
    expect(pickChartVersion(versions, { by: 'version', version: '1.9' })).toBeUndefined();
  });

  it('GIVEN creation times WHEN newest THEN the last created release, a pre-release only when asked', () => {
    expect(pickChartVersion(versions, { by: 'newest' })?.version).toBe('1.9.0');
    expect(pickChartVersion(versions, { by: 'newest', includePrerelease: true })?.version).toBe('2.1.0-rc.1');
  });

  it('GIVEN equal creation times WHEN newest THEN the higher version, whatever the order of the file', () => {
    const tie = [entry('1.0.0', day(2)), entry('1.1.0', day(2))];
    expect(pickChartVersion(tie, { by: 'newest' })?.version).toBe('1.1.0');
    expect(pickChartVersion([...tie].reverse(), { by: 'newest' })?.version).toBe('1.1.0');
  });

  it('GIVEN the same version written twice WHEN picked by range THEN the choice does not depend on order', () => {
    const twice = [entry('v1.0.0'), entry('1.0.0')];
    expect(pickChartVersion(twice, { by: 'semver', range: '1' })).toEqual(
      pickChartVersion([...twice].reverse(), { by: 'semver', range: '1' }),
    );
  });
});

describe('checkChartSelect', () => {
  it('GIVEN a range that does not parse WHEN checked THEN invalid_select naming it', () => {
    expect(() => checkChartSelect({ by: 'semver', range: 'one point two' })).toThrow(
      expect.objectContaining({ code: 'invalid_select', message: expect.stringContaining('one point two') }),
    );
    expect(() => checkChartSelect({ by: 'version', version: '' })).toThrow(SourceError);
    expect(() => checkChartSelect({ by: 'semver', range: '>=1 <2' })).not.toThrow();
  });

  it('GIVEN selects WHEN described THEN they read as in status', () => {
    expect(describeChartSelect({ by: 'version', version: '1.2.3' })).toBe(' 1.2.3');
    expect(describeChartSelect({ by: 'semver', range: '^1', includePrerelease: true })).toBe(
      ' semver ^1 (with prereleases)',
    );
    expect(describeChartSelect({ by: 'newest' })).toBe(' newest');
  });
});
