import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store, StoreOptions } from '@gantry/store';
import { openStore } from '@gantry/store';
import { hasPostgres, postgresSchema, tempDir } from '@gantry/testing';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

/** One database to run the store suite against. */
export interface Fixture {
  /** Opens another store on the same database (closed by `cleanup`). */
  open(options?: Omit<StoreOptions, 'databaseUrl' | 'sqlitePath'>): Promise<Store>;
  /** Every row of every table as text, plus raw database files where there are any. */
  dump(): Promise<string>;
  /**
   * Another connection holds the locks a write needs until the returned release: SQLite's write
   * lock; on PostgreSQL a share lock on every row, so that a store updating, deleting or locking
   * a row to write waits on it (new rows are not held back: `dump` shows those).
   */
  holdWrites(): Promise<() => Promise<void>>;
  /** Whether several stores on this database behave like separate replicas (PostgreSQL). */
  readonly replicas: boolean;
  cleanup(): Promise<void>;
}

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  readonly available: boolean;
  setup(): Promise<Fixture>;
}

function tracking(openOne: (o: StoreOptions) => Promise<Store>) {
  const stores: Store[] = [];
  return {
    open: async (o: StoreOptions = {}) => {
      const s = await openOne(o);
      stores.push(s);
      return s;
    },
    closeAll: () => Promise.all(stores.map((s) => s.close())),
  };
}

const sqlite: Backend = {
  name: 'sqlite',
  available: true,
  async setup() {
    const dir = await tempDir('gantry-store-');
    const path = join(dir.path, 'data', 'gantry.db');
    const t = tracking((o) => openStore({ ...o, sqlitePath: path }));
    return {
      open: t.open,
      replicas: false,
      async holdWrites() {
        const db = new SqliteDatabase(path);
        db.prepare('begin immediate').run();
        return async () => {
          db.prepare('rollback').run();
          db.close();
        };
      },
      async dump() {
        const db = new SqliteDatabase(path, { readonly: true });
        try {
          const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
          const rows = tables.map((tb) => JSON.stringify(db.prepare(`select * from "${tb.name}"`).all()));
          const files = [path, `${path}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1'));
          return [...rows, ...files].join('\n');
        } finally {
          db.close();
        }
      },
      async cleanup() {
        await t.closeAll();
        await dir.remove();
      },
    };
  },
};

const postgres: Backend = {
  name: 'postgres',
  available: await hasPostgres(),
  async setup() {
    const schema = await postgresSchema();
    const t = tracking((o) => openStore({ ...o, databaseUrl: schema.url }));
    return {
      open: t.open,
      replicas: true,
      async holdWrites() {
        const client = new pg.Client({ connectionString: schema.url });
        await client.connect();
        await client.query('begin');
        const tables = await client.query<{ table_name: string }>(
          "select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE'",
          [schema.schema],
        );
        for (const { table_name } of tables.rows) await client.query(`select 1 from "${table_name}" for share`);
        return async () => {
          await client.query('rollback');
          await client.end();
        };
      },
      async dump() {
        const client = new pg.Client({ connectionString: schema.url });
        await client.connect();
        try {
          const tables = await client.query<{ table_name: string }>(
            'select table_name from information_schema.tables where table_schema = $1',
            [schema.schema],
          );
          const out: string[] = [];
          for (const { table_name } of tables.rows) {
            const r = await client.query<{ j: string }>(`select row_to_json(t)::text as j from "${table_name}" t`);
            out.push(...r.rows.map((x) => x.j));
          }
          return out.join('\n');
        } finally {
          await client.end();
        }
      },
      async cleanup() {
        await t.closeAll();
        await schema.drop();
      },
    };
  },
};

export const backends: readonly Backend[] = [sqlite, postgres];
