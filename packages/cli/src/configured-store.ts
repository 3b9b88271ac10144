import { join } from 'node:path';
import { dataDirOf, loadConfig } from '@gantry/config';
import type { Store } from '@gantry/store';
import { openStore } from '@gantry/store';
import type { Io } from './io.js';
import type { GlobalOptions } from './runtime.js';

/** The store the server uses (`server.databaseUrl`, or SQLite in the data directory), for one command. */
export async function withConfiguredStore<T>(io: Io, g: GlobalOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  const loaded = await loadConfig({ cwd: io.cwd, env: io.env, ...(g.config ? { file: g.config } : {}) });
  const url = loaded.config.server?.databaseUrl;
  const store = await openStore({
    ...(url ? { databaseUrl: url } : {}),
    sqlitePath: join(dataDirOf(loaded), 'gantry.db'),
  });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
