import { createVirtualClock } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { BudgetPausedError, createRequestBudget } from './budget.js';

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** The most starts in any window of `ms` (sliding), from sorted start times. */
function busiestWindow(starts: readonly number[], ms: number): number {
  let most = 0;
  for (let i = 0; i < starts.length; i++) {
    let n = 0;
    for (let j = i; j < starts.length && (starts[j] as number) < (starts[i] as number) + ms; j++) n++;
    most = Math.max(most, n);
  }
  return most;
}

describe('request budget', () => {
  it('GIVEN 5 requests/s and 2 at once WHEN 30 requests are asked at once THEN no second holds more than 5 + 2 - 1 starts, no more than 2 run at once, and all finish', async () => {
    const clock = createVirtualClock();
    const budget = createRequestBudget({ requestsPerSecond: 5, concurrency: 2 }, clock);
    const starts: number[] = [];
    let active = 0;
    let peak = 0;
    const all = Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        budget.run(async () => {
          starts.push(clock.now());
          active++;
          peak = Math.max(peak, active);
          await clock.sleep(50); // each request takes 50 ms of virtual time
          active--;
          return i;
        }),
      ),
    );
    while (starts.length < 30 || clock.sleeping > 0) if (!(await clock.next())) await settle();
    expect(await all).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(peak).toBe(2);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(6);
    // the long run keeps the rate: 30 requests, the first 2 on saved tokens, take at least 28/5 s
    expect((starts.at(-1) as number) - (starts[0] as number)).toBeGreaterThanOrEqual((28 / 5) * 1000);
  });

  it('GIVEN a host paused for 3 s WHEN a request is asked THEN it starts no earlier than the end of the pause', async () => {
    const clock = createVirtualClock();
    const budget = createRequestBudget({ requestsPerSecond: 10, concurrency: 4 }, clock);
    const t0 = clock.now();
    budget.pause(t0 + 3000);
    expect(budget.pausedUntil()).toBe(t0 + 3000);
    let startedAt: number | undefined;
    const done = budget.run(async () => {
      startedAt = clock.now();
    });
    await clock.advance(2999);
    expect(startedAt).toBeUndefined();
    await clock.advance(1);
    await done;
    expect(startedAt).toBe(t0 + 3000);
    expect(budget.pausedUntil()).toBeUndefined();
  });

  it('GIVEN a pause longer than a request will wait WHEN it is asked or already waits THEN it fails at once with the end of the pause', async () => {
    const clock = createVirtualClock();
    const budget = createRequestBudget({ requestsPerSecond: 10, concurrency: 1 }, clock);
    let release!: () => void;
    const first = budget.run(() => new Promise<void>((r) => (release = r)));
    const queued = budget.run(async () => 'ran', { maxPauseMs: 1000 });
    const caught = queued.catch((e: unknown) => e);
    await settle();
    budget.pause(clock.now() + 60_000);
    const e = await caught;
    expect(e).toBeInstanceOf(BudgetPausedError);
    expect((e as BudgetPausedError).until).toBe(clock.now() + 60_000);
    await expect(budget.run(async () => 'ran', { maxPauseMs: 1000 })).rejects.toBeInstanceOf(BudgetPausedError);
    release();
    await first;
  });

  it('GIVEN a request waiting for a slot WHEN its caller aborts THEN it leaves the queue without running', async () => {
    const clock = createVirtualClock();
    const budget = createRequestBudget({ requestsPerSecond: 10, concurrency: 1 }, clock);
    let release!: () => void;
    const first = budget.run(() => new Promise<void>((r) => (release = r)));
    const abort = new AbortController();
    let ran = false;
    const second = budget.run(
      async () => {
        ran = true;
      },
      { signal: abort.signal },
    );
    expect(budget.waiting).toBe(1);
    abort.abort(new Error('caller gave up'));
    await expect(second).rejects.toThrow('caller gave up');
    expect(budget.waiting).toBe(0);
    release();
    await first;
    expect(ran).toBe(false);
  });
});
