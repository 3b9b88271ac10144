import type { RawBuilder } from 'kysely';
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

/**
 * PostgreSQL only: a new artifact with its pipelines, steps and audit entry in one statement
 * (data-modifying CTEs, one round trip and no transaction to open and commit). Each dependent
 * insert reads the artifact's insert, so when another report of the same key is already
 * recorded (`on conflict do nothing` inserts no row) none of them writes: `false`, and the
 * caller merges into the recorded one.
 */
export async function insertNewArtifact(
  db: Db,
  row: NewArtifactRow,
  pipelines: readonly string[],
  steps: readonly ArtifactStep[],
  audit: AuditRow | undefined,
): Promise<boolean> {
  const names = Object.keys(row);
  const parts: RawBuilder<unknown>[] = [
    sql`a as (insert into artifacts (${sql.join(names.map((n) => sql.ref(n)))}) values (${sql.join(
      names.map((n) => row[n] ?? null),
    )}) on conflict (key) do nothing returning seq)`,
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
  const r = await sql<{ seq: number }>`with ${sql.join(parts)} select seq from a`.execute(db);
  return r.rows.length > 0;
}
