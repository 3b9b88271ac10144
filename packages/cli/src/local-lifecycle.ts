import type { Runtime } from '@gantry/config';
import type { Lifecycle } from '@gantry/lifecycle';
import type { Store } from '@gantry/store';
import type { Io } from './io.js';
import { localLifecycleOn } from './local-gate-facts.js';
import { openRuntimeStore } from './local-promotion.js';
import type { GlobalOptions } from './runtime.js';
import { withRuntime } from './runtime.js';

/** What a local command works with: the configuration, the store a server on it uses, and the same lifecycle. */
export interface LocalLifecycle {
  readonly rt: Runtime;
  readonly store: Store;
  readonly lifecycle: Lifecycle;
}

/**
 * Opens the configured system, its store (SQLite in the data directory, or
 * `server.databaseUrl`) and a lifecycle on them for one command, and closes all three. The
 * lifecycle runs no background work: only what the command asks for.
 */
export function withLocalLifecycle<T>(io: Io, g: GlobalOptions, fn: (l: LocalLifecycle) => Promise<T>): Promise<T> {
  return withRuntime(io, g, async (rt) => {
    const store = await openRuntimeStore(rt);
    const lifecycle = localLifecycleOn(rt, store);
    try {
      return await fn({ rt, store, lifecycle });
    } finally {
      await lifecycle.stop();
      await store.close();
    }
  });
}
