import { join } from 'node:path';
import type { TempDir } from '@gantry/testing';
import { hasPostgres, postgresSchema, tempDir } from '@gantry/testing';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryHistory } from './delivery-history.js';
import type { Dialect } from './migrations.js';
import { migrationProvider } from './migrations.js';
import type { StoreContext } from './store-context.js';

/** The last migration before delivery_records: history recorded by a Gantry without them. */
const BEFORE = '0012_proposal_checks';

interface Db {
  readonly db: Kysely<unknown>;
  readonly dialect: Dialect;
  migrator(): Migrator;
  close(): Promise<void>;
}

async function sqliteDb(): Promise<Db> {
  const dir: TempDir = await tempDir('gantry-delivery-records-');
  const raw = new SqliteDatabase(join(dir.path, 'gantry.db'));
  raw.pragma('foreign_keys = ON');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
  return {
    db,
    dialect: 'sqlite',
    migrator: () => new Migrator({ db, provider: migrationProvider('sqlite') }),
    async close() {
      await db.destroy();
      await dir.remove();
    },
  };
}

async function postgresDb(): Promise<Db> {
  const schema = await postgresSchema('gantry_delivery_records');
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: schema.url }) }),
  });
  return {
    db,
    dialect: 'postgres',
    migrator: () => new Migrator({ db, provider: migrationProvider('postgres'), migrationTableSchema: schema.schema }),
    async close() {
      await db.destroy();
      await schema.drop();
    },
  };
}

const backends = [
  { name: 'sqlite', available: true, open: sqliteDb },
  { name: 'postgres', available: await hasPostgres(), open: postgresDb },
] as const;

const T0 = Date.parse('2025-03-01T00:00:00Z');
const at = (hour: number) => new Date(T0 + hour * 3_600_000).toISOString();
const digest = (v: string) => `sha256:${v.repeat(64)}`;

/** A promotion row as Gantry writes it, with its events up to `succeeded` (or `failed`). */
async function promotion(
  db: Kysely<unknown>,
  p: {
    id: string;
    phase: string;
    version: string;
    created: number;
    succeeded?: number;
    rollbackOf?: string;
    verification?: { state: string; at: number };
  },
): Promise<void> {
  const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
  await sql`insert into promotions (id, pipeline, phase, to_digest, to_version, target, trigger, reason, state,
      commit_sha, verification, created_at, updated_at)
    values (${p.id}, 'shop', ${p.phase}, ${digest(p.version)}, ${p.version}, '{}',
      ${json({ kind: 'person', actor: 'ann', ...(p.rollbackOf ? { rollbackOf: p.rollbackOf } : {}) })},
      'seeded', ${p.succeeded === undefined ? 'failed' : 'succeeded'},
      ${p.succeeded === undefined ? null : 'c'.repeat(40)},
      ${json(p.verification && { state: p.verification.state, at: at(p.verification.at), run: 1 })},
      ${at(p.created)}, ${at(p.created)})`.execute(db);
  const states = p.succeeded === undefined ? ['queued', 'failed'] : ['queued', 'committed', 'succeeded'];
  for (const [i, state] of states.entries())
    await sql`insert into promotion_events (promotion_id, state, at, detail)
      values (${p.id}, ${state}, ${at(i === states.length - 1 ? (p.succeeded ?? p.created + 1) : p.created)}, '{}')`.execute(
      db,
    );
}

describe.each(backends)('delivery_records on $name', (backend) => {
  let opened: Db | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it.skipIf(!backend.available)(
    'GIVEN history recorded before the migration WHEN it runs THEN each deployment is read as the promotions said, with its source time',
    async () => {
      const d = await backend.open();
      opened = d;
      expect((await d.migrator().migrateTo(BEFORE)).error).toBeUndefined();
      // staging: A (0 h, verified 1 h), B (10 h, verification failed 11 h), A again as a rollback of B (12 h);
      // a failed C (no commit) deploys nothing. CI reported B's commit at -5 h, from the image's labels.
      await promotion(d.db, {
        id: 'a',
        phase: 'staging',
        version: 'A',
        created: -1,
        succeeded: 0,
        verification: { state: 'verified', at: 1 },
      });
      await promotion(d.db, {
        id: 'b',
        phase: 'staging',
        version: 'B',
        created: 9,
        succeeded: 10,
        verification: { state: 'failed', at: 11 },
      });
      await promotion(d.db, { id: 'a2', phase: 'staging', version: 'A', created: 12, succeeded: 12, rollbackOf: 'a' });
      await promotion(d.db, { id: 'c', phase: 'staging', version: 'C', created: 13 });
      await sql`insert into artifacts (id, key, kind, digest, commit_time, labelled, pipelines, verified, reported_at, reported_by, updated_at)
        values ('r1', ${`image:${digest('B')}`}, 'image', ${digest('B')}, ${at(-5)}, '["commit","time"]', '["shop"]', 'verified', ${at(0)}, 'ci', ${at(0)})`.execute(
        d.db,
      );
      expect((await d.migrator().migrateToLatest()).error).toBeUndefined();

      const history = await deliveryHistory({ db: d.db, dialect: d.dialect } as unknown as StoreContext, {
        from: at(-100),
      });
      expect(history.phases).toHaveLength(1);
      const [staging] = history.phases;
      const order =
        staging?.deployedAt.map((_, i) => i).sort((x, y) => (staging.seq[x] ?? 0) - (staging.seq[y] ?? 0)) ?? [];
      const column = <T>(c: readonly T[] | undefined) => order.map((i) => c?.[i]);
      expect(column(staging?.digest)).toEqual([digest('A'), digest('B'), digest('A')]);
      expect(column(staging?.deployedAt)).toEqual([at(0), at(10), at(12)]);
      expect(column(staging?.rollback)).toEqual([0, 0, 1]);
      expect(column(staging?.verificationState)).toEqual(['verified', 'failed', null]);
      expect(column(staging?.verificationAt)).toEqual([at(1), at(11), null]);
      expect(column(staging?.deploymentState)).toEqual([null, null, null]);
      // A: first seen when its first promotion was made (-1 h); B: CI's commit time, read from labels
      expect(column(staging?.sourceAt)).toEqual([at(-1), at(-5), at(-1)]);
      expect(column(staging?.sourceFrom)).toEqual(['first-seen', 'image', 'first-seen']);
    },
  );

  it.skipIf(!backend.available)(
    'GIVEN the migrated schema WHEN a promotion succeeds, is judged, and is purged THEN its delivery record follows each step',
    async () => {
      const d = await backend.open();
      opened = d;
      expect((await d.migrator().migrateToLatest()).error).toBeUndefined();
      const ctx = { db: d.db, dialect: d.dialect } as unknown as StoreContext;
      const read = async () => (await deliveryHistory(ctx, { from: at(-100) })).phases[0];

      await promotion(d.db, { id: 'a', phase: 'production', version: 'A', created: 0, succeeded: 1 });
      await promotion(d.db, { id: 'x', phase: 'production', version: 'X', created: 2 });
      expect((await read())?.digest).toEqual([digest('A')]);
      expect((await read())?.verificationState).toEqual([null]);

      // the deployer's word and the verification's verdict, as the store writes them
      await sql`update promotions set deployment = ${JSON.stringify({ state: 'degraded', at: at(2) })},
        verification = ${JSON.stringify({ state: 'verified', at: at(3), run: 1 })} where id = 'a'`.execute(d.db);
      expect(await read()).toMatchObject({
        deploymentState: ['degraded'],
        deploymentAt: [at(2)],
        verificationState: ['verified'],
        verificationAt: [at(3)],
      });

      // a CI report arriving later gives the lead time its start at once (read, not recorded)
      await sql`insert into artifacts (id, key, kind, digest, commit_time, labelled, pipelines, verified, reported_at, reported_by, updated_at)
        values ('r1', ${`image:${digest('A')}`}, 'image', ${digest('A')}, ${at(-3)}, '[]', '["shop"]', 'verified', ${at(5)}, 'ci', ${at(5)})`.execute(
        d.db,
      );
      expect(await read()).toMatchObject({ sourceAt: [at(-3)], sourceFrom: ['artifact'] });

      await sql`delete from promotion_events where promotion_id = 'a'`.execute(d.db);
      await sql`delete from promotions where id = 'a'`.execute(d.db);
      expect(await read()).toBeUndefined();
    },
  );
});
