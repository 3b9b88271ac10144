import type { WriteLock } from '@gantry/core';
import pg from 'pg';

/**
 * Blocking advisory locks for writes that must take turns across replicas (pushes to
 * one repository branch). Each holder keeps its own connection for the duration, so a
 * replica that dies while holding frees the lock with its session.
 */
export interface ClosableWriteLock extends WriteLock {
  close(): Promise<void>;
}

export function advisoryWriteLock(url: string): ClosableWriteLock {
  const pool = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 10_000 });
  pool.on('error', () => {});
  const KEY = "hashtext(current_schema() || '/write/' || $1)";
  return {
    async withLock(key, fn) {
      const client = await pool.connect();
      try {
        await client.query(`select pg_advisory_lock(${KEY})`, [key]);
        try {
          return await fn();
        } finally {
          await client.query(`select pg_advisory_unlock(${KEY})`, [key]);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** SQLite serves one process, whose writer queues already take turns. */
export function processWriteLock(): ClosableWriteLock {
  return { withLock: (_key, fn) => fn(), close: async () => {} };
}
