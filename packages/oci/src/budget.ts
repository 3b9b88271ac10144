/** How hard one registry host may be asked. */
export interface RequestLimits {
  /** Requests per second on average; bursts of up to `concurrency` requests ride on saved tokens. */
  readonly requestsPerSecond: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

/**
 * 10 requests/s and 4 at once per host. A no-change reconcile asks each distinct tag once at
 * most (and nothing while the tag cache is fresh), so 10/s is ~600 distinct tags a minute:
 * more than a fleet of one-minute schedules needs, and half of the 20/s that Google's APIs
 * allow a caller by default, the tightest published per-client limit among the hosted
 * registries. 4 at once hides a round trip's latency without holding many sockets per host.
 */
export const DEFAULT_LIMITS: RequestLimits = { requestsPerSecond: 10, concurrency: 4 };

/** Time as the budget sees it; tests inject a virtual one so nothing waits on the wall clock. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The host is paused (it asked to wait) for longer than this request may wait. */
export class BudgetPausedError extends Error {
  constructor(readonly until: number) {
    super(`paused until ${new Date(until).toISOString()}`);
  }
}

export interface BudgetRunOptions {
  readonly signal?: AbortSignal;
  /** Longest pause this request waits out; beyond it the request fails with `BudgetPausedError`. */
  readonly maxPauseMs?: number;
}

/**
 * The request budget of one registry host: a token bucket (refilled at `requestsPerSecond`,
 * holding `concurrency` tokens) and at most `concurrency` requests in flight. Requests wait
 * in order. A host that answered 429/503 is paused: nothing is sent to it before `until`.
 */
export interface RequestBudget {
  readonly limits: RequestLimits;
  run<T>(task: () => Promise<T>, options?: BudgetRunOptions): Promise<T>;
  /** Sends nothing before `until` (ms); a later pause extends, an earlier one never shortens. */
  pause(until: number): void;
  /** When the host's pause ends, while one holds. */
  pausedUntil(): number | undefined;
  /** Requests waiting for a slot or a token now. */
  readonly waiting: number;
}

interface Waiter {
  readonly start: () => void;
  readonly fail: (e: unknown) => void;
  readonly maxPauseMs: number;
}

const EPSILON = 1e-9;

export function createRequestBudget(limits: RequestLimits, clock: Clock = systemClock): RequestBudget {
  const rate = limits.requestsPerSecond;
  const capacity = Math.max(1, limits.concurrency);
  let tokens = capacity;
  let refilledAt = clock.now();
  let active = 0;
  let pausedTo = 0;
  let waking = false;
  const queue: Waiter[] = [];

  const refill = (now: number) => {
    tokens = Math.min(capacity, tokens + ((now - refilledAt) * rate) / 1000);
    refilledAt = now;
  };

  /** One timer at a time wakes the queue; whoever is first then goes, in order. */
  const wakeIn = (ms: number) => {
    if (waking) return;
    waking = true;
    void clock.sleep(Math.max(1, Math.ceil(ms))).then(() => {
      waking = false;
      pump();
    });
  };

  const pump = (): void => {
    while (queue.length > 0 && active < limits.concurrency) {
      const now = clock.now();
      if (now < pausedTo) {
        // those who will not wait that long fail now rather than at the end of the pause
        for (const w of [...queue]) {
          if (pausedTo - now > w.maxPauseMs) {
            queue.splice(queue.indexOf(w), 1);
            w.fail(new BudgetPausedError(pausedTo));
          }
        }
        if (queue.length > 0) wakeIn(pausedTo - now);
        return;
      }
      refill(now);
      if (tokens < 1 - EPSILON) {
        wakeIn(((1 - tokens) * 1000) / rate);
        return;
      }
      tokens -= 1;
      active++;
      (queue.shift() as Waiter).start();
    }
  };

  return {
    limits,
    get waiting() {
      return queue.length;
    },
    run<T>(task: () => Promise<T>, o: BudgetRunOptions = {}): Promise<T> {
      const signal = o.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (pausedTo - clock.now() > (o.maxPauseMs ?? Number.POSITIVE_INFINITY))
        return Promise.reject(new BudgetPausedError(pausedTo));
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) {
            queue.splice(i, 1);
            reject(signal?.reason);
          }
        };
        const waiter: Waiter = {
          maxPauseMs: o.maxPauseMs ?? Number.POSITIVE_INFINITY,
          fail: (e) => {
            signal?.removeEventListener('abort', onAbort);
            reject(e);
          },
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            task()
              .then(resolve, reject)
              .finally(() => {
                active--;
                pump();
              });
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
        pump();
      });
    },
    pause(until) {
      pausedTo = Math.max(pausedTo, until);
      const now = clock.now();
      for (const w of [...queue]) {
        if (pausedTo - now > w.maxPauseMs) {
          queue.splice(queue.indexOf(w), 1);
          w.fail(new BudgetPausedError(pausedTo));
        }
      }
    },
    pausedUntil() {
      return clock.now() < pausedTo ? pausedTo : undefined;
    },
  };
}
