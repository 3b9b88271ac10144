import { describe, expect, it } from 'vitest';
import { createCoalescer, createLimiter } from './limit.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('createLimiter', () => {
  it('GIVEN more tasks than the limit WHEN run THEN no more than the limit run at once and all finish', async () => {
    const limit = createLimiter(2);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        limit.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await tick();
          active--;
          return n;
        }),
      ),
    );
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('GIVEN a failing task WHEN run THEN its slot is released for the next', async () => {
    const limit = createLimiter(1);
    await expect(limit.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit.run(async () => 'next')).toBe('next');
  });
});

describe('createCoalescer', () => {
  it('GIVEN the same key asked twice at once WHEN run THEN the task runs once; later asks run it again', async () => {
    const once = createCoalescer();
    let calls = 0;
    const task = async () => {
      calls++;
      await tick();
      return calls;
    };
    expect(await Promise.all([once('k', task), once('k', task)])).toEqual([1, 1]);
    expect(await once('k', task)).toBe(2);
  });
});
