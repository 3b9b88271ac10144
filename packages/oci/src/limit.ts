/** Runs at most `max` tasks at once; the rest wait in order. */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createLimiter(max: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run(task) {
      if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      try {
        return await task();
      } finally {
        active--;
        waiting.shift()?.();
      }
    },
  };
}

/**
 * Shares one in-flight promise among callers asking the same thing at once (a
 * thousand phases reading `app:latest` make one request). Nothing is kept once it
 * settles, so no answer is ever stale.
 */
export function createCoalescer(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const inflight = new Map<string, Promise<unknown>>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const running = inflight.get(key);
    if (running) return running as Promise<T>;
    const p = task().finally(() => inflight.delete(key));
    inflight.set(key, p);
    return p;
  };
}
