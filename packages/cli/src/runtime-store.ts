import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '@gantry/config';
import type { Store } from '@gantry/store';

/** Where the SQLite store of a configuration without `server.databaseUrl` lives. */
export const runtimeSqlitePath = (rt: Runtime) => join(rt.dataDir, 'gantry.db');

/**
 * Whether the configuration has a store to read yet: a database URL, or the SQLite file in the
 * data directory. A command that only reads (status) skips the store when there is none: it
 * would find nothing there, and neither creates it nor loads the database drivers.
 */
export function hasRuntimeStore(rt: Runtime): boolean {
  return rt.loaded.config.server?.databaseUrl !== undefined || existsSync(runtimeSqlitePath(rt));
}

/**
 * The store a server on this configuration uses: `server.databaseUrl`, or SQLite in the data
 * directory. The store package (and its drivers) load on the first call.
 */
export async function openRuntimeStore(rt: Runtime): Promise<Store> {
  const { openStore } = await import('@gantry/store');
  const url = rt.loaded.config.server?.databaseUrl;
  return openStore({
    ...(url ? { databaseUrl: url } : {}),
    sqlitePath: runtimeSqlitePath(rt),
    logger: rt.logger,
  });
}
