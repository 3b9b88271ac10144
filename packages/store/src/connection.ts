import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '@gantry/core';
import { GantryError } from '@gantry/core';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { cachingStatements } from './statement-cache.js';
import pg from 'pg';
import { StoreUnreachableError } from './errors.js';
import { maskDatabaseUrl, urlPassword } from './mask-url.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';

/** Where the data lives, decided from the options. */
export type Location =
  | { readonly dialect: 'postgres'; readonly url: string; readonly display: string }
  | { readonly dialect: 'sqlite'; readonly path: string; readonly display: string };

export interface Connection {
  readonly dialect: Dialect;
  readonly db: Kysely<Database>;
  readonly location: Location;
}

const PG_URL = /^postgres(?:ql)?:\/\//i;

export function resolveLocation(options: { databaseUrl?: string; sqlitePath?: string }): Location {
  const url = options.databaseUrl?.trim();
  if (url && PG_URL.test(url)) return { dialect: 'postgres', url, display: maskDatabaseUrl(url) };
  const path = options.sqlitePath ?? url?.replace(/^(?:sqlite|file):(?:\/\/)?/i, '');
  if (!path) {
    throw new GantryError('store_not_configured', 'no database configured: give a postgres:// URL or a SQLite path');
  }
  return { dialect: 'sqlite', path, display: path };
}

function withBusyRetry<T>(fn: () => T, attempts = 100): T {
  for (let i = 1; ; i++) {
    try {
      return fn();
    } catch (e) {
      if (i >= attempts || (e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

/** Opens the pool or file and proves it usable; anything else is a StoreUnreachableError. */
export async function connect(location: Location, logger: Logger, poolSize: number): Promise<Connection> {
  if (location.dialect === 'postgres') {
    const pool = new pg.Pool({ connectionString: location.url, max: poolSize, connectionTimeoutMillis: 10_000 });
    // An idle client losing its server emits here; without a listener the process would crash.
    pool.on('error', (e) => logger.warn({ err: e.message, database: location.display }, 'database connection lost'));
    try {
      const client = await pool.connect();
      client.release();
    } catch (e) {
      await pool.end().catch(() => {});
      throw new StoreUnreachableError(location.display, e, urlPassword(location.url));
    }
    return { dialect: 'postgres', location, db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }) };
  }
  let database: SqliteDatabase.Database;
  try {
    if (location.path !== ':memory:') mkdirSync(dirname(location.path), { recursive: true });
    database = new SqliteDatabase(location.path);
    // WAL lets readers (a CLI, a backup) run beside the server; the busy timeout makes a
    // second process wait for a write lock instead of failing at once.
    database.pragma('busy_timeout = 5000');
    // switching a new file to WAL needs an exclusive lock and may answer "database is locked"
    // without waiting on the busy timeout when several processes open it at once: retry a while
    withBusyRetry(() => database.pragma('journal_mode = WAL'));
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
  } catch (e) {
    throw new StoreUnreachableError(location.display, e);
  }
  return {
    dialect: 'sqlite',
    location,
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(database) }) }),
  };
}
