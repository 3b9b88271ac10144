/**
 * A clock that tests drive: `now()` moves only when the test says, and `sleep(ms)` resolves
 * when the clock reaches its time. Code under test takes it where it takes a clock (a
 * registry's budget, back-off and cache ages), so no test waits on the wall clock.
 */
export interface VirtualClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Moves time forward by `ms`, waking each sleeper at its own time, in order. */
  advance(ms: number): Promise<void>;
  /** Moves time to the earliest sleeper's wake-up and wakes it (and any due with it); false when nobody sleeps. */
  next(): Promise<boolean>;
  /** Every sleep asked for so far, in milliseconds. */
  readonly sleeps: readonly number[];
  /** Sleepers not woken yet. */
  readonly sleeping: number;
}

/** Lets promise callbacks and I/O callbacks queued now run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

export function createVirtualClock(start = 1_700_000_000_000): VirtualClock {
  let t = start;
  const sleepers: Array<{ at: number; wake: () => void }> = [];
  const sleeps: number[] = [];
  const wakeDue = async (until: number): Promise<boolean> => {
    let woke = false;
    for (;;) {
      sleepers.sort((a, b) => a.at - b.at);
      const first = sleepers[0];
      if (!first || first.at > until) break;
      sleepers.shift();
      t = Math.max(t, first.at);
      first.wake();
      woke = true;
      await settle();
    }
    return woke;
  };
  return {
    now: () => t,
    sleep(ms) {
      sleeps.push(ms);
      return new Promise((resolve) => sleepers.push({ at: t + ms, wake: resolve }));
    },
    async advance(ms) {
      const end = t + ms;
      await wakeDue(end);
      t = Math.max(t, end);
      await settle();
    },
    async next() {
      sleepers.sort((a, b) => a.at - b.at);
      const first = sleepers[0];
      if (!first) return false;
      return wakeDue(first.at);
    },
    get sleeps() {
      return sleeps;
    },
    get sleeping() {
      return sleepers.length;
    },
  };
}
