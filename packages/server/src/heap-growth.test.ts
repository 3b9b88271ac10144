import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { boundHeapGrowth, heapGrowthFlag, SERVE_HEAP_GROWING_PERCENT } from './heap-growth.js';

describe('the served heap growth', () => {
  it('GIVEN no growth chosen WHEN gantry serve starts THEN it bounds the heap to its live size and a half', () => {
    expect(heapGrowthFlag(['--import', 'tsx'], '--enable-source-maps')).toBe(
      `--heap-growing-percent=${SERVE_HEAP_GROWING_PERCENT}`,
    );
  });

  it.each([
    [['--heap-growing-percent=20'], ''],
    [[], '--max-old-space-size=2048 --heap_growing_percent=100'],
  ])(
    'GIVEN the operator chose a growth (%j, NODE_OPTIONS %j) WHEN gantry serve starts THEN it is left as chosen',
    (argv, env) => {
      expect(heapGrowthFlag(argv, env)).toBeUndefined();
    },
  );

  it('GIVEN no growth chosen WHEN the bound is applied (with a full collection) THEN no context is given gc by it', () => {
    // GIVEN
    const before = typeof (globalThis as { gc?: unknown }).gc;
    // WHEN
    const flag = boundHeapGrowth();
    // THEN: set here (the test runner chose none), and gc stays out of new contexts and this one
    expect(flag).toBe(heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS ?? ''));
    expect(runInNewContext('typeof gc')).toBe('undefined');
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe(before);
  });
});
