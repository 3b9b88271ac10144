import type { Kysely, Migration, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from './migrations.js';

/**
 * `0013_delivery_records`: one row per deployment (a promotion that succeeded with a commit),
 * with what delivery metrics read of it in plain columns: when it succeeded, whether it was a
 * rollback, when its version was first seen in the pipeline, and the deployer's and the
 * verification's last word. Reading a fleet's year then scans one narrow table by time instead
 * of joining every success event to its promotion and parsing three JSON columns per row.
 *
 * The database keeps it (triggers), so every writer does, in the same transaction: a row is
 * added when a promotion's `succeeded` event is, its outcome follows updates of the promotion's
 * `deployment` and `verification`, and it goes with its promotion (purge). The migration fills
 * it from the history already recorded.
 */
export function deliveryRecordsMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('delivery_records')
        .addColumn('promotion_seq', 'integer', (c) => c.primaryKey().references('promotions.seq').onDelete('cascade'))
        .addColumn('pipeline', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('deployed_at', 'text', (c) => c.notNull())
        .addColumn('rollback', 'integer', (c) => c.notNull())
        // the version's first promotion in the pipeline (any phase, any state), when it succeeded:
        // the lead time's fallback start when no CI report gives the commit's time
        .addColumn('first_seen', 'text', (c) => c.notNull())
        .addColumn('deployment_state', 'text')
        .addColumn('deployment_at', 'text')
        .addColumn('verification_state', 'text')
        .addColumn('verification_at', 'text')
        .execute();
      // the metrics read a phase's deployments from a time on, a phase after another: one index
      // walk in the order they group (and compute) in, whatever the period
      await db.schema
        .createIndex('delivery_records_phase_at')
        .on('delivery_records')
        .columns(['pipeline', 'phase', 'deployed_at'])
        .execute();
      // a phase's last deployment made before another (the version a period began with)
      await db.schema
        .createIndex('delivery_records_phase_seq')
        .on('delivery_records')
        .columns(['pipeline', 'phase', 'promotion_seq'])
        .execute();
      if (dialect === 'postgres') await postgresTriggers(db);
      else await sqliteTriggers(db);
      // the history recorded so far: each success event's promotion, as the trigger would have added it
      await sql`
        insert into delivery_records (${columns})
        select ${recordOf(dialect, sql.ref('e.at'))}
        from promotion_events e join promotions p on p.id = e.promotion_id
        where e.state = 'succeeded' and p.commit_sha is not null
        on conflict (promotion_seq) do nothing`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (dialect === 'postgres') {
        await sql`drop trigger if exists delivery_records_succeeded on promotion_events`.execute(db);
        await sql`drop trigger if exists delivery_records_outcome on promotions`.execute(db);
        await sql`drop function if exists gantry_delivery_record_succeeded()`.execute(db);
        await sql`drop function if exists gantry_delivery_record_outcome()`.execute(db);
      } else {
        await sql`drop trigger if exists delivery_records_succeeded`.execute(db);
        await sql`drop trigger if exists delivery_records_outcome`.execute(db);
      }
      await sql`drop table if exists delivery_records`.execute(db);
    },
  };
}

const columns = sql.raw(
  'promotion_seq, pipeline, phase, digest, deployed_at, rollback, first_seen, deployment_state, deployment_at, verification_state, verification_at',
);

/** A JSON text column's field, as text. */
function field(dialect: Dialect, column: string, name: string) {
  return dialect === 'postgres'
    ? sql.raw(`(${column}::json ->> '${name}')`)
    : sql.raw(`json_extract(${column}, '$.${name}')`);
}

/** The fields of the delivery record of promotion `p` (a row of promotions), which succeeded at `at`. */
function recordOf(dialect: Dialect, at: RawBuilder<unknown>) {
  const f = (column: string, name: string) => field(dialect, column, name);
  return sql`p.seq, p.pipeline, p.phase, p.to_digest, ${at},
    case when ${f('p.trigger', 'rollbackOf')} is not null then 1 else 0 end,
    (select min(v.created_at) from promotions v where v.pipeline = p.pipeline and v.to_digest = p.to_digest),
    ${f('p.deployment', 'state')}, ${f('p.deployment', 'at')},
    ${f('p.verification', 'state')}, ${f('p.verification', 'at')}`;
}

/** The outcome columns set from promotion `new`'s JSON. */
function outcomeOf(dialect: Dialect) {
  const f = (column: string, name: string) => field(dialect, column, name);
  return sql`deployment_state = ${f('new.deployment', 'state')}, deployment_at = ${f('new.deployment', 'at')},
    verification_state = ${f('new.verification', 'state')}, verification_at = ${f('new.verification', 'at')}`;
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  // the event is written after the promotion's own update (state, commit_sha): the row reads it
  await sql`
    create trigger delivery_records_succeeded after insert on promotion_events
    for each row when new.state = 'succeeded'
    begin
      insert into delivery_records (${columns})
      select ${recordOf('sqlite', sql.raw('new.at'))}
      from promotions p where p.id = new.promotion_id and p.commit_sha is not null
      on conflict (promotion_seq) do nothing;
    end`.execute(db);
  await sql`
    create trigger delivery_records_outcome after update of deployment, verification on promotions
    for each row
    begin
      update delivery_records set ${outcomeOf('sqlite')} where promotion_seq = new.seq;
    end`.execute(db);
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function gantry_delivery_record_succeeded() returns trigger language plpgsql as $$
    begin
      insert into delivery_records (${columns})
      select ${recordOf('postgres', sql.raw('new.at'))}
      from promotions p where p.id = new.promotion_id and p.commit_sha is not null
      on conflict (promotion_seq) do nothing;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger delivery_records_succeeded after insert on promotion_events
    for each row when (new.state = 'succeeded') execute function gantry_delivery_record_succeeded()`.execute(db);
  await sql`
    create function gantry_delivery_record_outcome() returns trigger language plpgsql as $$
    begin
      update delivery_records set ${outcomeOf('postgres')} where promotion_seq = new.seq;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger delivery_records_outcome after update of deployment, verification on promotions
    for each row execute function gantry_delivery_record_outcome()`.execute(db);
}
