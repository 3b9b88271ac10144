import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ArtifactFacts } from './artifact-merge.js';
import { factsOf, mergeFacts, mergeStep, nestSource, sameFacts } from './artifact-merge.js';
import type { ArtifactStepsTable, ArtifactsTable } from './artifact-schema.js';
import type {
  Artifact,
  ArtifactOutcome,
  ArtifactQuery,
  ArtifactStep,
  ArtifactStepStatus,
  NewArtifact,
  NewArtifactStep,
  SourceField,
} from './artifact-types.js';
import { recordAudit } from './audit.js';
import { clampLimit, decodeCursor, toPage } from './rows.js';
import type { Db, StoreContext } from './store-context.js';
import type { NewAuditEntry, Page } from './types.js';
import { writeTransaction } from './write-transaction.js';

/** What CI reported it built, with the steps of its run: the first links of a version's chain. */
export interface ArtifactStore {
  /**
   * Records a report, merged into the artifact of the same digest (or chart version) when
   * there is one. Idempotent: a replay writes nothing (`unchanged`). `audit` names the audit
   * entry of a change, written in the same transaction (none for a replay).
   */
  recordArtifact(a: NewArtifact, audit?: ArtifactAuditOf): Promise<RecordedArtifact>;
  /**
   * Records one step of an artifact's run: a replay changes nothing, a later status of the
   * same step updates it. `undefined` when no artifact has that id.
   */
  recordArtifactStep(id: string, step: NewArtifactStep, audit?: ArtifactAuditOf): Promise<RecordedArtifact | undefined>;
  getArtifact(id: string): Promise<Artifact | undefined>;
  /** The image artifact of a manifest digest. */
  findArtifactByDigest(digest: string): Promise<Artifact | undefined>;
  /** The chart artifact of a chart version. */
  findArtifactByChart(chart: string, version: string): Promise<Artifact | undefined>;
  /** The newest artifact of a pipeline built from a branch (first reported last): what `release --branch` takes. */
  newestArtifact(pipeline: string, branch: string): Promise<Artifact | undefined>;
  /** Newest first, one page; filtered by pipeline, branch and digest when given. */
  listArtifacts(q: ArtifactQuery): Promise<Page<Artifact>>;
  /** The branches a pipeline has builds from, most recently built first. */
  artifactBranches(pipeline: string): Promise<string[]>;
}

/** An artifact as recorded and what the report changed. */
export type RecordedArtifact = { artifact: Artifact; outcome: ArtifactOutcome };
/** The audit entry of a recorded change, from what was recorded. */
export type ArtifactAuditOf = (r: RecordedArtifact) => NewAuditEntry;

const CURSOR_TAG = 'artifact';

export const artifactKey = (a: Pick<NewArtifact, 'kind' | 'digest' | 'chart' | 'version'>): string =>
  a.kind === 'chart' ? `chart:${a.chart ?? ''}@${a.version ?? ''}` : `image:${a.digest ?? ''}`;

const opt = <K extends string, V>(k: K, v: V | null): { [P in K]?: V } =>
  (v === null ? {} : { [k]: v }) as { [P in K]?: V };

function rowFacts(r: Selectable<ArtifactsTable>): ArtifactFacts {
  return {
    ...opt('image', r.image),
    ...opt('digest', r.digest),
    ...opt('chart', r.chart),
    ...opt('version', r.version),
    source: {
      ...opt('repository', r.source_repository),
      ...opt('commit', r.commit_sha),
      ...opt('branch', r.branch),
      ...opt('authorName', r.author_name),
      ...opt('authorEmail', r.author_email),
      ...opt('message', r.commit_message),
      ...opt('time', r.commit_time),
    },
    labelled: JSON.parse(r.labelled) as SourceField[],
    ci: { ...opt('runUrl', r.ci_run_url), ...opt('provider', r.ci_provider) },
    pipelines: JSON.parse(r.pipelines) as string[],
    verified: r.verified === 'verified',
    ...opt('unverifiedReason', r.unverified_reason),
  };
}

function factColumns(f: ArtifactFacts) {
  return {
    image: f.image ?? null,
    digest: f.digest ?? null,
    chart: f.chart ?? null,
    version: f.version ?? null,
    source_repository: f.source.repository ?? null,
    commit_sha: f.source.commit ?? null,
    branch: f.source.branch ?? null,
    author_name: f.source.authorName ?? null,
    author_email: f.source.authorEmail ?? null,
    commit_message: f.source.message ?? null,
    commit_time: f.source.time ?? null,
    labelled: JSON.stringify(f.labelled),
    ci_run_url: f.ci.runUrl ?? null,
    ci_provider: f.ci.provider ?? null,
    pipelines: JSON.stringify(f.pipelines),
    verified: f.verified ? 'verified' : 'unverified',
    unverified_reason: f.unverifiedReason ?? null,
  };
}

function toStep(r: Selectable<ArtifactStepsTable>): ArtifactStep {
  return {
    name: r.name,
    status: r.status as ArtifactStepStatus,
    ...opt('durationMs', r.duration_ms),
    ...opt('url', r.url),
    ...opt('startedAt', r.started_at),
    ...opt('finishedAt', r.finished_at),
    updatedAt: r.updated_at,
  };
}

function toArtifact(r: Selectable<ArtifactsTable>, steps: readonly ArtifactStep[]): Artifact {
  const f = rowFacts(r);
  const present = Object.keys(f.source).length;
  const labelled = f.labelled.filter((k) => f.source[k] !== undefined).length;
  return {
    id: r.id,
    kind: r.kind as Artifact['kind'],
    ...opt('image', r.image),
    ...opt('digest', r.digest),
    ...opt('chart', r.chart),
    ...opt('version', r.version),
    source: nestSource(f.source),
    sourceFrom: labelled === 0 ? 'report' : labelled === present ? 'labels' : 'report+labels',
    ci: f.ci,
    pipelines: [...f.pipelines],
    verified: f.verified,
    ...opt('unverifiedReason', r.unverified_reason),
    reportedAt: r.reported_at,
    reportedBy: r.reported_by,
    updatedAt: r.updated_at,
    steps: [...steps],
  };
}

export function artifactStore(ctx: StoreContext): ArtifactStore {
  const now = () => ctx.now().toISOString();
  const lock = <Q extends { forUpdate(): Q }>(q: Q): Q => (ctx.dialect === 'postgres' ? q.forUpdate() : q);

  const stepsOf = async (db: Db, ids: readonly string[]) => {
    const by = new Map<string, ArtifactStep[]>();
    if (ids.length === 0) return by;
    const rows = await db
      .selectFrom('artifact_steps')
      .selectAll()
      .where('artifact_id', 'in', [...ids])
      .orderBy('seq')
      .execute();
    for (const r of rows) by.set(r.artifact_id, [...(by.get(r.artifact_id) ?? []), toStep(r)]);
    return by;
  };
  const withSteps = async (db: Db, rows: readonly Selectable<ArtifactsTable>[]) => {
    const steps = await stepsOf(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toArtifact(r, steps.get(r.id) ?? []));
  };
  const one = async (db: Db, row: Selectable<ArtifactsTable> | undefined) =>
    row ? (await withSteps(db, [row]))[0] : undefined;

  /**
   * Upserts the steps that change, in one multi-row statement; the artifact's steps as now
   * recorded (in their order) and whether any changed. `existing` are its recorded steps.
   */
  const writeSteps = async (
    db: Db,
    artifactId: string,
    existing: readonly ArtifactStep[],
    steps: readonly NewArtifactStep[],
    at: string,
  ): Promise<{ steps: ArtifactStep[]; changed: boolean }> => {
    const all = [...existing];
    const changed = new Map<string, ArtifactStep>();
    for (const s of steps) {
      const i = all.findIndex((e) => e.name === s.name);
      const merged = mergeStep(i >= 0 ? all[i] : undefined, s, at);
      if (!merged) continue;
      if (i >= 0) all[i] = merged;
      else all.push(merged);
      changed.set(s.name, merged);
    }
    if (changed.size === 0) return { steps: all, changed: false };
    const cols = (m: ArtifactStep) => ({
      status: m.status,
      duration_ms: m.durationMs ?? null,
      url: m.url ?? null,
      started_at: m.startedAt ?? null,
      finished_at: m.finishedAt ?? null,
      updated_at: at,
    });
    // a step keeps its row (and so its place in the run's order) when it is reported again
    await db
      .insertInto('artifact_steps')
      .values([...changed].map(([name, m]) => ({ artifact_id: artifactId, name, ...cols(m) })))
      .onConflict((oc) =>
        oc.columns(['artifact_id', 'name']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          duration_ms: eb.ref('excluded.duration_ms'),
          url: eb.ref('excluded.url'),
          started_at: eb.ref('excluded.started_at'),
          finished_at: eb.ref('excluded.finished_at'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    return { steps: all, changed: true };
  };

  /** Writes artifact_pipelines for a row: its pipelines with its branch (`fresh`: none written before). */
  const indexPipelines = async (
    db: Db,
    row: { seq: number; pipelines: string; branch: string | null },
    fresh: boolean,
  ) => {
    if (!fresh) await db.deleteFrom('artifact_pipelines').where('artifact_seq', '=', row.seq).execute();
    const pipelines = JSON.parse(row.pipelines) as string[];
    if (pipelines.length === 0) return;
    await db
      .insertInto('artifact_pipelines')
      .values(pipelines.map((pipeline) => ({ artifact_seq: row.seq, pipeline, branch: row.branch })))
      .execute();
  };

  /** The audit entry of a change, in the transaction that made it (none for a replay). */
  const audited = async (db: Db, r: RecordedArtifact, audit: ArtifactAuditOf | undefined) => {
    if (audit && r.outcome !== 'unchanged') await recordAudit({ ...ctx, db }, audit(r));
    return r;
  };

  const byKey = (db: Db, key: string) =>
    lock(db.selectFrom('artifacts').selectAll().where('key', '=', key)).executeTakeFirst();

  const listArtifacts = async (q: ArtifactQuery): Promise<Page<Artifact>> => {
    const limit = clampLimit(q.limit);
    let query = ctx.db
      .selectFrom('artifacts')
      .selectAll('artifacts')
      .orderBy('artifacts.seq', 'desc')
      .limit(limit + 1);
    if (q.pipeline !== undefined) {
      let of = ctx.db.selectFrom('artifact_pipelines').select('artifact_seq').where('pipeline', '=', q.pipeline);
      if (q.branch !== undefined) of = of.where('branch', '=', q.branch);
      query = query.where('artifacts.seq', 'in', of);
    } else if (q.branch !== undefined) query = query.where('artifacts.branch', '=', q.branch);
    if (q.digest !== undefined) query = query.where('artifacts.digest', '=', q.digest);
    if (q.cursor !== undefined) query = query.where('artifacts.seq', '<', decodeCursor(CURSOR_TAG, q.cursor));
    const rows = await query.execute();
    const kept = rows.slice(0, limit);
    const full = await withSteps(ctx.db, kept);
    const byId = new Map(full.map((a) => [a.id, a]));
    return toPage(CURSOR_TAG, rows, limit, (r) => byId.get(r.id) as Artifact);
  };

  return {
    recordArtifact(a, audit) {
      const key = artifactKey(a);
      const next = factsOf(a);
      // one transaction, the fewest statements: a new artifact is read once and written in
      // three inserts (row, pipelines, steps); a replay is two reads; the answer is assembled
      // from what was written rather than read back
      return writeTransaction(ctx.db, ctx.dialect, async (db) => {
        const at = now();
        let row = await byKey(db, key);
        let outcome: ArtifactOutcome = 'unchanged';
        let existing: ArtifactStep[] = [];
        if (!row) {
          const inserted = await db
            .insertInto('artifacts')
            .values({
              id: randomUUID(),
              key,
              kind: a.kind,
              ...factColumns(next),
              reported_at: at,
              reported_by: a.reportedBy,
              updated_at: at,
            })
            .onConflict((oc) => oc.column('key').doNothing())
            .returningAll()
            .executeTakeFirst();
          // PostgreSQL: another report of it committed first; merge into that one
          row = inserted ?? (await byKey(db, key));
          if (!row) throw new Error(`artifact ${key} vanished while being recorded`);
          if (inserted) {
            outcome = 'created';
            await indexPipelines(db, inserted, true);
          }
        }
        if (outcome !== 'created') {
          existing = (await stepsOf(db, [row.id])).get(row.id) ?? [];
          const old = rowFacts(row);
          const merged = mergeFacts(old, next);
          if (!sameFacts(old, merged)) {
            outcome = 'updated';
            const cols = factColumns(merged);
            row = await db
              .updateTable('artifacts')
              .set({ ...cols, updated_at: at })
              .where('id', '=', row.id)
              .returningAll()
              .executeTakeFirstOrThrow();
            if (cols.pipelines !== JSON.stringify(old.pipelines) || cols.branch !== (old.source.branch ?? null))
              await indexPipelines(db, row, false);
          }
        }
        const steps = await writeSteps(db, row.id, existing, a.steps ?? [], at);
        if (steps.changed && outcome === 'unchanged') {
          outcome = 'updated';
          await db.updateTable('artifacts').set({ updated_at: at }).where('id', '=', row.id).execute();
          row = { ...row, updated_at: at };
        }
        return audited(db, { artifact: toArtifact(row, steps.steps), outcome }, audit);
      });
    },
    recordArtifactStep(id, step, audit) {
      return writeTransaction(ctx.db, ctx.dialect, async (db) => {
        const row = await lock(db.selectFrom('artifacts').selectAll().where('id', '=', id)).executeTakeFirst();
        if (!row) return undefined;
        const at = now();
        const existing = (await stepsOf(db, [id])).get(id) ?? [];
        const steps = await writeSteps(db, id, existing, [step], at);
        if (!steps.changed) return { artifact: toArtifact(row, steps.steps), outcome: 'unchanged' };
        await db.updateTable('artifacts').set({ updated_at: at }).where('id', '=', id).execute();
        return audited(
          db,
          { artifact: toArtifact({ ...row, updated_at: at }, steps.steps), outcome: 'updated' },
          audit,
        );
      });
    },
    async getArtifact(id) {
      return one(ctx.db, await ctx.db.selectFrom('artifacts').selectAll().where('id', '=', id).executeTakeFirst());
    },
    async findArtifactByDigest(digest) {
      return one(
        ctx.db,
        await ctx.db.selectFrom('artifacts').selectAll().where('key', '=', `image:${digest}`).executeTakeFirst(),
      );
    },
    async findArtifactByChart(chart, version) {
      const key = artifactKey({ kind: 'chart', chart, version });
      return one(ctx.db, await ctx.db.selectFrom('artifacts').selectAll().where('key', '=', key).executeTakeFirst());
    },
    async newestArtifact(pipeline, branch) {
      const page = await listArtifacts({ pipeline, branch, limit: 1 });
      return page.items[0];
    },
    listArtifacts,
    async artifactBranches(pipeline) {
      const rows = await ctx.db
        .selectFrom('artifact_pipelines')
        .select('branch')
        .select((eb) => eb.fn.max('artifact_seq').as('last'))
        .where('pipeline', '=', pipeline)
        .where('branch', 'is not', null)
        .groupBy('branch')
        .orderBy('last', 'desc')
        .execute();
      return rows.flatMap((r) => (r.branch === null ? [] : [r.branch]));
    },
  };
}
