import { describe, expect, it } from 'vitest';
import { checkVersion, isRange, isTemplate } from './version-text.js';

describe('what is one version', () => {
  it.each([
    '>=1.0.0',
    '>= 6.0.0',
    '^1.2',
    '~1.2.3',
    '~> 5.1',
    '1.x',
    '1.2.X',
    '6.5.*',
    '*',
    '1.2 - 1.4',
    '1.x || 2.x',
    '>=1, <2',
    '=1.2.3',
  ])('GIVEN the range %s THEN it is a range', (text) => {
    expect(isRange(text)).toBe(true);
  });

  it.each(['1.2.3', 'v1.2.3', '1.0.0-rc.1', '1.0.0+build.7', '0.9.2', '20.11.3', '6.14.0', 'latest', 'main'])(
    'GIVEN the version %s THEN it is not a range',
    (text) => {
      expect(isRange(text)).toBe(false);
    },
  );

  it('GIVEN templates THEN they are templates', () => {
    expect(isTemplate('{{ .Values.image.tag }}')).toBe(true);
    expect(isTemplate('${var.version}')).toBe(true);
    expect(isTemplate('\\(tag)')).toBe(true);
    expect(isTemplate('1.2.3')).toBe(false);
  });

  it('GIVEN a range WHEN checked THEN an error naming file, line and value; held ranges read as no version', () => {
    const where = { file: 'f.yaml', path: 'spec.version', line: 7 };
    expect(() => checkVersion('6.5.*', where)).toThrow('f.yaml: line 7: "6.5.*" is a version range');
    expect(checkVersion('6.5.*', where, { holdsRanges: true })).toBe(false);
    expect(checkVersion('6.5.4', where)).toBe(true);
    expect(() => checkVersion('{{ .Chart.Version }}', where, { holdsRanges: true })).toThrow('is a template');
  });
});
