import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { cachingStatements } from './statement-cache.js';

describe('cachingStatements', () => {
  let raw: SqliteDatabase.Database | undefined;
  afterEach(() => {
    if (raw?.open) raw.close();
  });

  it('GIVEN the same SQL twice THEN it is prepared once; a different text is prepared apart', () => {
    raw = new SqliteDatabase(':memory:');
    const db = cachingStatements(raw);
    const a = db.prepare('select ? as v');
    expect(db.prepare('select ? as v')).toBe(a);
    expect(db.prepare('select ? + 1 as v')).not.toBe(a);
    expect(a.all([2])).toEqual([{ v: 2 }]);
  });

  it('GIVEN more texts than it holds THEN the least recently used is prepared again, the others kept', () => {
    raw = new SqliteDatabase(':memory:');
    const db = cachingStatements(raw, 2);
    const one = db.prepare('select 1');
    const two = db.prepare('select 2');
    db.prepare('select 1'); // used again: now the most recent
    db.prepare('select 3'); // drops "select 2"
    expect(db.prepare('select 1')).toBe(one);
    expect(db.prepare('select 2')).not.toBe(two);
  });

  it('GIVEN statements prepared through Kysely WHEN the schema changes under them THEN they answer from the new schema', async () => {
    raw = new SqliteDatabase(':memory:');
    const k = new Kysely<{ t: { a: number; b?: number | null } }>({
      dialect: new SqliteDialect({ database: cachingStatements(raw) }),
    });
    await sql`create table t (a integer)`.execute(k);
    await k.insertInto('t').values({ a: 1 }).execute();
    await k.insertInto('t').values({ a: 2 }).execute();
    expect(await k.selectFrom('t').selectAll().orderBy('a').execute()).toEqual([{ a: 1 }, { a: 2 }]);
    await sql`alter table t add column b integer default 7`.execute(k);
    expect(await k.selectFrom('t').selectAll().orderBy('a').execute()).toEqual([
      { a: 1, b: 7 },
      { a: 2, b: 7 },
    ]);
    // a streamed read on a cached statement, then the same statement again
    const streamed: unknown[] = [];
    for await (const r of k.selectFrom('t').select('a').orderBy('a').stream()) streamed.push(r);
    expect(streamed).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await k.selectFrom('t').select('a').orderBy('a').execute()).toEqual([{ a: 1 }, { a: 2 }]);
    await k.destroy();
  });
});
