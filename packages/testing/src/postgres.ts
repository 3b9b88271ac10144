import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL server integration tests use: the machine's, with trust auth.
 * `GANTRY_TEST_DATABASE_URL` points elsewhere.
 */
export function testDatabaseUrl(): string {
  return process.env.GANTRY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

let reachable: Promise<boolean> | undefined;

/**
 * Whether the test PostgreSQL server answers. Like `hasTool`, in CI
 * (`GANTRY_REQUIRE_INTEGRATION=1`) an unreachable server is an error, not a skip.
 * Async: use it with top-level await, `const pgUp = await hasPostgres()`.
 */
export async function hasPostgres(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: testDatabaseUrl(), connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  const up = await reachable;
  if (!up && process.env.GANTRY_REQUIRE_INTEGRATION === '1') {
    throw new Error(
      `PostgreSQL at ${testDatabaseUrl().replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@')} is required for integration tests (GANTRY_REQUIRE_INTEGRATION=1) but is not reachable`,
    );
  }
  return up;
}

export interface PostgresSchema extends AsyncDisposable {
  /** A URL whose connections use the schema (`options=-c search_path=<schema>`). */
  readonly url: string;
  readonly schema: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** A fresh, empty schema in the test database, for one test; `await using` or `drop()` removes it. */
export async function postgresSchema(prefix = 'gantry_test'): Promise<PostgresSchema> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const base = testDatabaseUrl();
  await withClient(base, (c) => c.query(`create schema "${schema}"`));
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  let dropped: Promise<void> | undefined;
  const drop = () => {
    dropped ??= withClient(base, (c) => c.query(`drop schema if exists "${schema}" cascade`)).then(() => {});
    return dropped;
  };
  return { url: url.toString(), schema, drop, [Symbol.asyncDispose]: drop };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
