import type { Duration } from '@gantry/core';
import { setTimeout as delay } from 'node:timers/promises';
import { DEFAULT_OUTPUT_LIMIT } from './tail-buffer.js';

/** What running a check needs from its surroundings; every field has a default. */
export interface CheckDeps {
  /** Stops the check: requests are aborted, processes killed, and it throws `CheckCancelledError`. */
  readonly signal?: AbortSignal;
  /** The clock of `startedAt` / `finishedAt` (default: `new Date()`). */
  readonly now?: () => Date;
  /** Waits between attempts; must reject when the signal aborts (default: a timer). */
  readonly sleep?: (d: Duration, signal?: AbortSignal) => Promise<void>;
  /** The HTTP client of HTTP and Prometheus checks (default: the global `fetch`). */
  readonly fetch?: typeof fetch;
  /** The environment command checks start from, less its `GANTRY_*` (default: `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** What a command's relative `cwd` is relative to (default: `process.cwd()`). */
  readonly workDir?: string;
  /** Bytes of output a result keeps, the last ones (default 64 KiB). */
  readonly outputLimit?: number;
}

export type ResolvedDeps = Required<Omit<CheckDeps, 'signal'>> & { readonly signal: AbortSignal | undefined };

export function resolveDeps(deps: CheckDeps = {}): ResolvedDeps {
  return {
    signal: deps.signal,
    now: deps.now ?? (() => new Date()),
    sleep: deps.sleep ?? ((d, signal) => delay(d.ms, undefined, signal ? { signal } : {})),
    fetch: deps.fetch ?? globalThis.fetch,
    env: deps.env ?? process.env,
    workDir: deps.workDir ?? process.cwd(),
    outputLimit: deps.outputLimit ?? DEFAULT_OUTPUT_LIMIT,
  };
}
