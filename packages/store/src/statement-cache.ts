import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** How many distinct statements stay prepared; `in (?, ?, ...)` lists and multi-row inserts vary by length. */
const CAPACITY = 500;

/**
 * A SQLite database for Kysely's dialect whose statements are prepared once per SQL text.
 * Kysely prepares every query it runs; preparing is SQLite parsing and planning the text
 * again, a tenth of the CPU of a short write path (artifact reports). A prepared statement is
 * reused safely: the dialect runs one query at a time on its one connection, and SQLite
 * prepares a statement again by itself when a migration changes the schema under it. The
 * least recently used statement is dropped beyond `capacity`.
 */
export function cachingStatements(database: SqliteDatabase, capacity = CAPACITY): SqliteDatabase {
  const prepared = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      const hit = prepared.get(sql);
      if (hit) {
        // most recently used last: Map keeps insertion order
        prepared.delete(sql);
        prepared.set(sql, hit);
        return hit;
      }
      const stmt = database.prepare(sql);
      prepared.set(sql, stmt);
      if (prepared.size > capacity) prepared.delete(prepared.keys().next().value as string);
      return stmt;
    },
    close(): void {
      prepared.clear();
      database.close();
    },
  };
}
