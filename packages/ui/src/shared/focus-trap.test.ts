import { describe, expect, it } from 'vitest';
import { nextFocusIndex } from './focus-trap.js';

describe('nextFocusIndex', () => {
  it('GIVEN the last element and Tab THEN the first; GIVEN the first and Shift+Tab THEN the last', () => {
    expect(nextFocusIndex(2, 3, false)).toBe(0);
    expect(nextFocusIndex(0, 3, true)).toBe(2);
    expect(nextFocusIndex(1, 3, false)).toBe(2);
  });

  it('GIVEN focus outside the dialog THEN the first (or last) element; GIVEN none THEN -1', () => {
    expect(nextFocusIndex(-1, 3, false)).toBe(0);
    expect(nextFocusIndex(-1, 3, true)).toBe(2);
    expect(nextFocusIndex(0, 0, false)).toBe(-1);
  });
});
