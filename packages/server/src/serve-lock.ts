import { GantryError } from '@gantry/core';
import type { HeldLock } from '@gantry/locks';
import { fileLock } from '@gantry/locks';

/**
 * A second `gantry serve` on a SQLite database another server is using. Two servers on one
 * SQLite file would each run promotions and schedules believing they are alone; replicas
 * coordinate through PostgreSQL (claims, leases, advisory locks), which is what to use.
 */
export class StoreInUseError extends GantryError {
  constructor(path: string, holder: { pid: number; since: string } | undefined) {
    super(
      'store_in_use',
      `another gantry serve${holder ? ` (pid ${holder.pid}, since ${holder.since})` : ''} is using the SQLite database ${path}; ` +
        'stop it first, or run several servers as replicas on PostgreSQL (server.databaseUrl: postgres://...)',
      { path, ...(holder ? { pid: holder.pid } : {}) },
    );
  }
}

/**
 * Claims a SQLite database for this server for as long as it runs (or until the process
 * dies, however it dies). CLI commands on the same data directory do not take it: they
 * may run beside a server.
 */
export async function claimSqliteServer(path: string): Promise<HeldLock> {
  const lock = fileLock(`${path}.serve.lock`);
  const held = await lock.tryAcquire('gantry serve');
  if (!held) throw new StoreInUseError(path, await lock.holder());
  return held;
}
