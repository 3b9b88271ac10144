import type { Logger } from '@gantry/core';
import { join } from 'node:path';
import type { HeldLock } from '@gantry/locks';
import { fileLock } from '@gantry/locks';
import pg from 'pg';

/**
 * Named locks that live as long as this process's database session: leadership
 * ("leader/<name>") and claim leases ("lease/<store id>"). When the process dies its
 * session ends and PostgreSQL frees the locks, which is how other replicas learn it died.
 */
export interface SessionLocks {
  /** True if held (already, or now). */
  tryAcquire(key: string): Promise<boolean>;
  release(key: string): Promise<void>;
  /** Whether another session holds the key. */
  heldElsewhere(key: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * SQLite in a data directory that several processes share (a server and CLI commands):
 * each key is an OS file lock beside the database, held for the life of this store and
 * dropped by the kernel when the process dies, however it dies.
 */
export function fileSessionLocks(dir: string): SessionLocks {
  const held = new Map<string, HeldLock>();
  const taking = new Map<string, Promise<boolean>>();
  const lockOf = (key: string) => fileLock(join(dir, `${key.replace(/[^A-Za-z0-9._-]/g, '_')}.lock`));
  return {
    tryAcquire(key) {
      if (held.has(key)) return Promise.resolve(true);
      // concurrent claims of one store ask once: the second must not find its own first attempt busy
      let t = taking.get(key);
      if (!t) {
        t = lockOf(key)
          .tryAcquire(key)
          .then((h) => {
            if (h) held.set(key, h);
            return h !== undefined;
          })
          .finally(() => taking.delete(key));
        taking.set(key, t);
      }
      return t;
    },
    async release(key) {
      const h = held.get(key);
      held.delete(key);
      await h?.release();
    },
    async heldElsewhere(key) {
      if (held.has(key)) return false;
      const h = await lockOf(key).tryAcquire(key);
      await h?.release();
      return h === undefined;
    },
    async close() {
      const all = [...held.values()];
      held.clear();
      await Promise.all(all.map((h) => h.release()));
    },
  };
}

/** A throwaway in-memory SQLite serves one store: every lock is granted, and nobody else holds any. */
export function processLocks(): SessionLocks {
  return {
    tryAcquire: async () => true,
    release: async () => {},
    heldElsewhere: async () => false,
    close: async () => {},
  };
}

/**
 * Session-level advisory locks on one dedicated connection kept for the life of
 * the store. Keys include the schema, so installations sharing a database do not
 * contend. If the connection is lost, its locks are lost with it: held keys are
 * forgotten, and the next `tryAcquire` (which pings while holding) reconnects.
 */
export function advisoryLocks(url: string, logger: Logger): SessionLocks {
  let client: Promise<pg.Client> | undefined;
  const held = new Set<string>();

  const lost = (reason: string) => {
    if (held.size > 0) logger.warn({ locks: [...held], reason }, 'session locks lost with the database connection');
    held.clear();
    const c = client;
    client = undefined;
    void c?.then((x) => x.end()).catch(() => {});
  };

  const connection = (): Promise<pg.Client> => {
    if (!client) {
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
      c.on('error', (e) => lost(e.message));
      client = c.connect().then(() => c);
      client.catch(() => {
        client = undefined;
      });
    }
    return client;
  };

  const KEY = "hashtext(current_schema() || '/' || $1)";
  const tryLock = async (c: pg.Client, key: string) =>
    (await c.query<{ ok: boolean }>(`select pg_try_advisory_lock(${KEY}) as ok`, [key])).rows[0]?.ok === true;

  return {
    async tryAcquire(key) {
      try {
        const c = await connection();
        if (held.has(key)) {
          // Locks are re-entrant per session: asking again would stack them. Prove the session lives instead.
          await c.query('select 1');
          return true;
        }
        if (await tryLock(c, key)) held.add(key);
        return held.has(key);
      } catch (e) {
        lost(e instanceof Error ? e.message : String(e));
        return false;
      }
    },
    async release(key) {
      if (!held.delete(key) || !client) return;
      const c = await client;
      await c.query(`select pg_advisory_unlock(${KEY})`, [key]);
    },
    async heldElsewhere(key) {
      if (held.has(key)) return false;
      const c = await connection();
      if (!(await tryLock(c, key))) return true;
      await c.query(`select pg_advisory_unlock(${KEY})`, [key]);
      return false;
    },
    async close() {
      held.clear();
      const c = client;
      client = undefined;
      if (c) await (await c.catch(() => undefined))?.end();
    },
  };
}
