import type { Duration } from '@gantry/core';

/** Waits `d`, or less when `signal` aborts (it never rejects). */
export type Sleep = (d: Duration, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (d, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, d.ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** At most `n` calls at once; the rest wait in order, each taking the slot its predecessor hands over. */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
