import { describe, expect, it } from 'vitest';
import { compare, formatComparison, parseComparison } from './comparison.js';

describe('comparisons', () => {
  it('GIVEN bounds as text WHEN parsed THEN operator and number come out; anything else is refused', () => {
    expect(parseComparison('< 0.01')).toEqual({ op: '<', value: 0.01 });
    expect(parseComparison('>=1')).toEqual({ op: '>=', value: 1 });
    expect(parseComparison(' == -2.5e-3 ')).toEqual({ op: '==', value: -0.0025 });
    expect(parseComparison('!= .5')).toEqual({ op: '!=', value: 0.5 });
    for (const bad of ['< ', '0.01', '=< 1', '< abc', '= 1', '<< 1', '< 1 2'])
      expect(parseComparison(bad)).toBeUndefined();
  });

  it('GIVEN each operator WHEN values are compared THEN they follow the bound', () => {
    const c = (text: string) => parseComparison(text) as NonNullable<ReturnType<typeof parseComparison>>;
    expect(compare(0.001, c('< 0.01'))).toBe(true);
    expect(compare(0.5, c('< 0.01'))).toBe(false);
    expect(compare(0.01, c('<= 0.01'))).toBe(true);
    expect(compare(2, c('> 1'))).toBe(true);
    expect(compare(1, c('>= 1'))).toBe(true);
    expect(compare(0, c('== 0'))).toBe(true);
    expect(compare(1, c('!= 0'))).toBe(true);
    expect(compare(Number.POSITIVE_INFINITY, c('> 1'))).toBe(true);
    expect(formatComparison(c('>=   1'))).toBe('>= 1');
  });

  it('GIVEN NaN WHEN compared with any bound THEN it never passes, not even "!="', () => {
    for (const op of ['<', '<=', '>', '>=', '==', '!='] as const)
      expect(compare(Number.NaN, { op, value: 0 })).toBe(false);
  });
});
