import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';

/**
 * Runs `fn` in a transaction that will write. On SQLite it begins IMMEDIATE: a
 * deferred transaction that reads first and then writes fails at once with
 * SQLITE_BUSY when another process committed in between, whereas an immediate one
 * takes the write lock up front and waits for it (busy timeout).
 */
export async function writeTransaction<T>(
  db: Kysely<Database>,
  dialect: Dialect,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') return db.transaction().execute((trx: Transaction<Database>) => fn(trx));
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (e) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw e;
    }
  });
}
