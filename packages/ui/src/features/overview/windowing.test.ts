import { describe, expect, it } from 'vitest';
import { rowWindow } from './windowing.js';

describe('rowWindow', () => {
  it('GIVEN 1,000 rows at the top THEN only the screenful plus overscan is rendered', () => {
    const w = rowWindow({ count: 1000, rowHeight: 40, scrollTop: 0, viewportHeight: 400, overscan: 5 });
    expect(w).toEqual({ start: 0, end: 16, offsetTop: 0, totalHeight: 40_000 });
  });

  it('GIVEN a scroll into the middle THEN the window starts overscan rows above the first visible one', () => {
    const w = rowWindow({ count: 1000, rowHeight: 40, scrollTop: 4010, viewportHeight: 400, overscan: 5 });
    expect(w.start).toBe(95);
    expect(w.end).toBe(100 + 11 + 5);
    expect(w.offsetTop).toBe(95 * 40);
  });

  it('GIVEN a scroll past the end (a shrinking list) THEN the window holds the last rows', () => {
    const w = rowWindow({ count: 20, rowHeight: 40, scrollTop: 99_999, viewportHeight: 400, overscan: 2 });
    expect(w.end).toBe(20);
    expect(w.start).toBe(8);
  });

  it('GIVEN no rows THEN nothing', () => {
    expect(rowWindow({ count: 0, rowHeight: 40, scrollTop: 0, viewportHeight: 400 })).toEqual({
      start: 0,
      end: 0,
      offsetTop: 0,
      totalHeight: 0,
    });
  });
});
