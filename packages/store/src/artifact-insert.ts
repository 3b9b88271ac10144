import type { RawBuilder, Selectable } from 'kysely';
import type { ArtifactStepsTable, ArtifactsTable } from './artifact-schema.js';
import { sql } from 'kysely';
import type { ArtifactStep } from './artifact-types.js';
import type { Db } from './store-context.js';

/** An artifact's row as first written (every column but `seq`). */
export type NewArtifactRow = Readonly<Record<string, string | number | null>>;

/** The audit entry of the creation, as the audit log holds it. */
export interface AuditRow {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly detail: string;
}

const text = (v: string | number | null | undefined): RawBuilder<unknown> => sql`cast(${v ?? null} as text)`;
const int = (v: number | undefined): RawBuilder<unknown> => sql`cast(${v ?? null} as integer)`;

/** What `readOrInsertArtifact` found: the artifact it created, or the one recorded before. */
export type ReadOrInserted =
  | { readonly created: true }
  | {
      readonly created: false;
      /** Absent when another report of the key committed while this one was being written. */
      readonly existing?: { row: Selectable<ArtifactsTable>; steps: Selectable<ArtifactStepsTable>[] };
    };

/**
 * PostgreSQL only, one statement (one round trip, no transaction to open and commit): the
 * artifact of `row.key` as recorded, with its steps, or when there is none a new one with its
 * pipelines, steps and audit entry (data-modifying CTEs). An artifact already recorded is only
 * read: nothing is inserted, locked or written. Each dependent insert reads the artifact's own,
 * so when another report of the key commits first (`on conflict do nothing`) none writes.
 */
export async function readOrInsertArtifact(
  db: Db,
  row: NewArtifactRow,
  pipelines: readonly string[],
  steps: readonly ArtifactStep[],
  audit: AuditRow | undefined,
): Promise<ReadOrInserted> {
  const names = Object.keys(row);
  const parts: RawBuilder<unknown>[] = [
    sql`e as (select * from artifacts where key = ${text(row.key)})`,
    sql`a as (insert into artifacts (${sql.join(names.map((n) => sql.ref(n)))}) select ${sql.join(
      names.map((n) => text(row[n])),
    )} where not exists (select 1 from e) on conflict (key) do nothing returning seq)`,
  ];
  if (pipelines.length > 0)
    parts.push(sql`p as (insert into artifact_pipelines (artifact_seq, pipeline, branch)
      select a.seq, v.pipeline, ${text(row.branch)} from a
      cross join (values ${sql.join(pipelines.map((p) => sql`(${text(p)})`))}) as v(pipeline))`);
  if (steps.length > 0)
    parts.push(sql`s as (insert into artifact_steps
      (artifact_id, name, status, duration_ms, url, started_at, finished_at, updated_at)
      select v.* from (values ${sql.join(
        steps.map(
          (s) =>
            sql`(${text(row.id)}, ${text(s.name)}, ${text(s.status)}, ${int(s.durationMs)}, ${text(s.url)}, ${text(
              s.startedAt,
            )}, ${text(s.finishedAt)}, ${text(s.updatedAt)})`,
        ),
      )}) as v where exists (select 1 from a))`);
  if (audit)
    parts.push(sql`l as (insert into audit_log (at, actor, action, subject, detail)
      select ${text(audit.at)}, ${text(audit.actor)}, ${text(audit.action)}, ${text(audit.subject)}, ${text(
        audit.detail,
      )} from a)`);
  const r = await sql<{
    created: number;
    existing: Selectable<ArtifactsTable> | null;
    steps: Selectable<ArtifactStepsTable>[];
  }>`with ${sql.join(parts)} select
      (select count(*) from a)::integer as created,
      (select row_to_json(e) from e) as existing,
      (select coalesce(json_agg(row_to_json(t) order by t.seq), '[]'::json)
        from artifact_steps t where t.artifact_id = (select id from e)) as steps`.execute(db);
  const got = r.rows[0];
  if (got && got.created > 0) return { created: true };
  return got?.existing ? { created: false, existing: { row: got.existing, steps: got.steps } } : { created: false };
}
