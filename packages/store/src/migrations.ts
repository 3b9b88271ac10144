import type { CreateTableBuilder, Kysely, Migration, MigrationProvider } from 'kysely';
import { sql } from 'kysely';
import { deliveryRecordsMigration } from './delivery-records-migration.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Versioned migrations, in code so that they ship with the package. Names sort in
 * application order; never edit an applied migration, add a new one.
 */
export function migrations(dialect: Dialect): Record<string, Migration> {
  // The only dialect difference: how an auto-incrementing integer key is spelled.
  const seq = <T extends string>(t: CreateTableBuilder<T, never>) =>
    dialect === 'postgres'
      ? t.addColumn('seq', 'serial', (c) => c.primaryKey())
      : t.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement());
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await seq(db.schema.createTable('promotions'))
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('pipeline', 'text', (c) => c.notNull())
          .addColumn('phase', 'text', (c) => c.notNull())
          .addColumn('from_phase', 'text')
          .addColumn('from_digest', 'text')
          .addColumn('from_version', 'text')
          .addColumn('to_digest', 'text', (c) => c.notNull())
          .addColumn('to_version', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('trigger', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('commit_sha', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('error', 'text')
          .addColumn('claimed_by', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('promotions_phase_seq')
          .on('promotions')
          .columns(['pipeline', 'phase', 'seq'])
          .execute();
        await db.schema.createIndex('promotions_state_seq').on('promotions').columns(['state', 'seq']).execute();

        await seq(db.schema.createTable('promotion_events'))
          .addColumn('promotion_id', 'text', (c) => c.notNull().references('promotions.id').onDelete('cascade'))
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('promotion_events_promotion')
          .on('promotion_events')
          .columns(['promotion_id', 'seq'])
          .execute();

        await db.schema
          .createTable('api_tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .execute();

        await seq(db.schema.createTable('audit_log'))
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const t of ['audit_log', 'api_tokens', 'promotion_events', 'promotions']) {
          await sql`drop table if exists ${sql.table(t)}`.execute(db);
        }
      },
    },
    // Which store (process) holds a claim, so that survivors can tell a dead replica's
    // promotions from a live one's (see orphanedPromotions).
    '0002_claim_lease': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('promotions').addColumn('lease', 'text').execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.alterTable('promotions').dropColumn('lease').execute();
      },
    },
    // Webhook delivery ids seen lately, so that a replayed signed delivery is acknowledged and
    // ignored (see deliveries.ts). Pruned by age on every write.
    '0003_webhook_deliveries': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('webhook_deliveries')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('webhook_deliveries_received_at')
          .on('webhook_deliveries')
          .column('received_at')
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await sql`drop table if exists webhook_deliveries`.execute(db);
      },
    },
    '0004_deployments': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('promotions').addColumn('deployment', 'text').execute();
        await db.schema.alterTable('promotions').addColumn('verification', 'text').execute();
        await seq(db.schema.createTable('deployer_events'))
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('key', 'text', (c) => c.notNull().unique())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('deployer', 'text', (c) => c.notNull())
          .addColumn('object_kind', 'text', (c) => c.notNull())
          .addColumn('object_namespace', 'text')
          .addColumn('object_name', 'text', (c) => c.notNull())
          .addColumn('revision', 'text')
          .addColumn('commit_sha', 'text')
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('occurred_at', 'text', (c) => c.notNull())
          .addColumn('matched', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('deployer_events_matched')
          .on('deployer_events')
          .columns(['matched', 'seq'])
          .execute();
        await seq(db.schema.createTable('check_results'))
          .addColumn('promotion_id', 'text', (c) => c.notNull())
          .addColumn('run', 'integer', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('result', 'text', (c) => c.notNull())
          .addColumn('recorded_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('check_results_promotion')
          .on('check_results')
          .columns(['promotion_id', 'seq'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await sql`drop table if exists check_results`.execute(db);
        await sql`drop table if exists deployer_events`.execute(db);
        await sql`alter table promotions drop column verification`.execute(db);
        await sql`alter table promotions drop column deployment`.execute(db);
      },
    },
    '0005_notification_deliveries': {
      async up(db: Kysely<unknown>) {
        await seq(db.schema.createTable('notification_deliveries'))
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('promotion_id', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('record', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('notification_deliveries_key')
          .on('notification_deliveries')
          .columns(['key', 'outcome'])
          .execute();
        await db.schema
          .createIndex('notification_deliveries_promotion')
          .on('notification_deliveries')
          .columns(['promotion_id', 'seq'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await sql`drop table if exists notification_deliveries`.execute(db);
      },
    },
    '0006_gates': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('promotions').addColumn('gates', 'text').execute();
        await seq(db.schema.createTable('approvals'))
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('pipeline', 'text', (c) => c.notNull())
          .addColumn('phase', 'text', (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('decision', 'text', (c) => c.notNull())
          .addColumn('comment', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('approvals_version')
          .on('approvals')
          .columns(['pipeline', 'phase', 'digest'])
          .execute();
        await seq(db.schema.createTable('holds'))
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('pipeline', 'text', (c) => c.notNull())
          .addColumn('phase', 'text')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('digest', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('released_at', 'text')
          .addColumn('released_by', 'text')
          .execute();
        await db.schema.createIndex('holds_pipeline').on('holds').columns(['pipeline', 'released_at']).execute();
      },
      async down(db: Kysely<unknown>) {
        await sql`drop table if exists holds`.execute(db);
        await sql`drop table if exists approvals`.execute(db);
        await sql`alter table promotions drop column gates`.execute(db);
      },
    },
    '0007_gate_overrides': {
      async up(db: Kysely<unknown>) {
        await seq(db.schema.createTable('gate_overrides'))
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('pipeline', 'text', (c) => c.notNull())
          .addColumn('phase', 'text', (c) => c.notNull())
          .addColumn('gate', 'text', (c) => c.notNull())
          .addColumn('digest', 'text')
          .addColumn('version', 'text')
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .execute();
        await db.schema
          .createIndex('gate_overrides_phase')
          .on('gate_overrides')
          .columns(['pipeline', 'phase', 'expires_at'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await sql`drop table if exists gate_overrides`.execute(db);
      },
    },
    // What CI reported it built (POST /api/v1/artifacts): one row per digest or chart version,
    // the pipelines it concerns (for `release --branch`), and the steps of its run.
    '0008_artifacts': {
      async up(db: Kysely<unknown>) {
        await seq(db.schema.createTable('artifacts'))
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('key', 'text', (c) => c.notNull().unique())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('image', 'text')
          .addColumn('digest', 'text')
          .addColumn('chart', 'text')
          .addColumn('version', 'text')
          .addColumn('source_repository', 'text')
          .addColumn('commit_sha', 'text')
          .addColumn('branch', 'text')
          .addColumn('author_name', 'text')
          .addColumn('author_email', 'text')
          .addColumn('commit_message', 'text')
          .addColumn('commit_time', 'text')
          .addColumn('labelled', 'text', (c) => c.notNull())
          .addColumn('ci_run_url', 'text')
          .addColumn('ci_provider', 'text')
          .addColumn('pipelines', 'text', (c) => c.notNull())
          .addColumn('verified', 'text', (c) => c.notNull())
          .addColumn('unverified_reason', 'text')
          .addColumn('reported_at', 'text', (c) => c.notNull())
          .addColumn('reported_by', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('artifacts_digest').on('artifacts').column('digest').execute();
        await db.schema.createIndex('artifacts_branch').on('artifacts').columns(['branch', 'seq']).execute();
        await db.schema
          .createTable('artifact_pipelines')
          .addColumn('artifact_seq', 'integer', (c) => c.notNull())
          .addColumn('pipeline', 'text', (c) => c.notNull())
          .addColumn('branch', 'text')
          .addPrimaryKeyConstraint('artifact_pipelines_pk', ['artifact_seq', 'pipeline'])
          .execute();
        await db.schema
          .createIndex('artifact_pipelines_branch')
          .on('artifact_pipelines')
          .columns(['pipeline', 'branch', 'artifact_seq'])
          .execute();
        await seq(db.schema.createTable('artifact_steps'))
          .addColumn('artifact_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('duration_ms', 'integer')
          .addColumn('url', 'text')
          .addColumn('started_at', 'text')
          .addColumn('finished_at', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('artifact_steps_name', ['artifact_id', 'name'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const t of ['artifact_steps', 'artifact_pipelines', 'artifacts']) {
          await sql`drop table if exists ${sql.table(t)}`.execute(db);
        }
      },
    },
    // Delivery metrics (delivery-history.ts): deployments by when they succeeded, and each
    // version's first promotion in its pipeline, without reading every row of history.
    '0009_metrics_indexes': {
      async up(db: Kysely<unknown>) {
        // partial: an index led by `state` would tempt SQLite's planner into scanning every
        // success for a lookup by promotion id that also names the state
        await sql`create index promotion_events_succeeded_at on promotion_events (at) where state = 'succeeded'`.execute(
          db,
        );
        await db.schema
          .createIndex('promotions_version_first_seen')
          .on('promotions')
          .columns(['pipeline', 'to_digest', 'created_at'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await sql`drop index if exists promotions_version_first_seen`.execute(db);
        await sql`drop index if exists promotion_events_succeeded_at`.execute(db);
      },
    },
    // A version's chain (chain.ts in @gantry/server): the deployer reports naming a commit.
    '0010_deployer_events_commit': {
      async up(db: Kysely<unknown>) {
        await db.schema.createIndex('deployer_events_commit').on('deployer_events').column('commit_sha').execute();
      },
      async down(db: Kysely<unknown>) {
        await sql`drop index if exists deployer_events_commit`.execute(db);
      },
    },
    // Promotions written as pull requests (docs/proposals.md): one row per promotion that opened
    // or updated one, found again by (provider, repository, number) when GitHub says it merged or
    // closed; the promotion's own `proposal` column is what reads show.
    '0011_proposals': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('proposals')
          .addColumn('promotion_id', 'text', (c) => c.primaryKey().references('promotions.id').onDelete('cascade'))
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('repository', 'text', (c) => c.notNull())
          .addColumn('number', 'integer', (c) => c.notNull())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('head_branch', 'text', (c) => c.notNull())
          .addColumn('head_sha', 'text', (c) => c.notNull())
          .addColumn('base_branch', 'text', (c) => c.notNull())
          .addColumn('merged_commit', 'text')
          .addColumn('etag', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('proposals_number')
          .on('proposals')
          .columns(['provider', 'repository', 'number'])
          .execute();
        await db.schema.createIndex('proposals_state').on('proposals').column('state').execute();
        await db.schema.alterTable('promotions').addColumn('proposal', 'text').execute();
      },
      async down(db: Kysely<unknown>) {
        await sql`alter table promotions drop column proposal`.execute(db);
        await sql`drop table if exists proposals`.execute(db);
      },
    },
    // The checks of a proposal's head (statuses and check runs, or the head pipeline), as JSON
    '0012_proposal_checks': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('proposals').addColumn('checks', 'text').execute();
      },
      async down(db: Kysely<unknown>) {
        await sql`alter table proposals drop column checks`.execute(db);
      },
    },
    // Delivery metrics read one narrow table kept by the database (delivery-records-migration.ts)
    '0013_delivery_records': deliveryRecordsMigration(dialect),
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
