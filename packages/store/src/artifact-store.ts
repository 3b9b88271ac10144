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
import { readOrInsertArtifact } from './artifact-insert.js';
import { recordAudit } from './audit.js';
import { clampLimit, decodeCursor, parseInput, toPage } from './rows.js';
import type { Db, StoreContext } from './store-context.js';
import type { NewAuditEntry, Page } from './types.js';
import { newAuditEntrySchema } from './types.js';
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

/**
 * Reported steps merged into an artifact's recorded ones: all of them as they would be (in
 * their order, a new one last) and those that change, by name (none for a replay).
 */
function mergeSteps(existing: readonly ArtifactStep[], steps: readonly NewArtifactStep[], at: string) {
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
  return { all, changed };
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

  /** Upserts the steps that change, in one multi-row statement (a step keeps its row, and so its place, when reported again). */
  const writeSteps = async (db: Db, artifactId: string, changed: ReadonlyMap<string, ArtifactStep>, at: string) => {
    if (changed.size === 0) return;
    const cols = (m: ArtifactStep) => ({
      status: m.status,
      duration_ms: m.durationMs ?? null,
      url: m.url ?? null,
      started_at: m.startedAt ?? null,
      finished_at: m.finishedAt ?? null,
      updated_at: at,
    });
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
  };

  /**
   * An artifact's row and steps, read without a lock: a report that would change nothing (a
   * replay) is answered from this alone, with no transaction and no write.
   */
  const seen = async (where: { key: string } | { id: string }) => {
    const q = ctx.db.selectFrom('artifacts').selectAll();
    const row = await ('key' in where
      ? q.where('key', '=', where.key)
      : q.where('id', '=', where.id)
    ).executeTakeFirst();
    if (!row) return undefined;
    return { row, steps: (await stepsOf(ctx.db, [row.id])).get(row.id) ?? [] };
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

  const store: ArtifactStore = {
    async recordArtifact(a, audit) {
      const key = artifactKey(a);
      const next = factsOf(a);
      const reported = a.steps ?? [];
      let known: { row: Selectable<ArtifactsTable>; steps: ArtifactStep[] } | undefined;
      if (ctx.dialect === 'postgres') {
        // PostgreSQL: one statement reads the artifact, or records it new (row, pipelines, steps, audit entry)
        const at = now();
        const row = {
          seq: 0,
          id: randomUUID(),
          key,
          kind: a.kind,
          ...factColumns(next),
          reported_at: at,
          reported_by: a.reportedBy,
          updated_at: at,
        };
        const r: RecordedArtifact = {
          artifact: toArtifact(row, mergeSteps([], reported, at).all),
          outcome: 'created',
        };
        const entry = audit ? parseInput(newAuditEntrySchema, audit(r), 'audit entry') : undefined;
        const { seq: _seq, ...columns } = row;
        const got = await readOrInsertArtifact(
          ctx.db,
          columns,
          next.pipelines,
          r.artifact.steps,
          entry && { ...entry, at, detail: JSON.stringify(entry.detail ?? {}) },
        );
        if (got.created) return r;
        known = got.existing && { row: got.existing.row, steps: got.existing.steps.map(toStep) };
      } else known = await seen({ key });
      // a replay is answered from that read alone: no transaction, no lock, no write
      if (known) {
        const old = rowFacts(known.row);
        const steps = mergeSteps(known.steps, reported, now());
        if (steps.changed.size === 0 && sameFacts(old, mergeFacts(old, next)))
          return { artifact: toArtifact(known.row, known.steps), outcome: 'unchanged' };
      }
      // a change: merged under the row's lock, the answer assembled from what was written
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
        const steps = mergeSteps(existing, reported, at);
        await writeSteps(db, row.id, steps.changed, at);
        if (steps.changed.size > 0 && outcome === 'unchanged') {
          outcome = 'updated';
          await db.updateTable('artifacts').set({ updated_at: at }).where('id', '=', row.id).execute();
          row = { ...row, updated_at: at };
        }
        return audited(db, { artifact: toArtifact(row, steps.all), outcome }, audit);
      });
    },
    async recordArtifactStep(id, step, audit) {
      // a replayed step is answered from one unlocked read, writing nothing
      const known = await seen({ id });
      if (!known) return undefined;
      if (mergeSteps(known.steps, [step], now()).changed.size === 0)
        return { artifact: toArtifact(known.row, known.steps), outcome: 'unchanged' };
      return writeTransaction(ctx.db, ctx.dialect, async (db) => {
        const row = await lock(db.selectFrom('artifacts').selectAll().where('id', '=', id)).executeTakeFirst();
        if (!row) return undefined;
        const at = now();
        const existing = (await stepsOf(db, [id])).get(id) ?? [];
        const steps = mergeSteps(existing, [step], at);
        if (steps.changed.size === 0) return { artifact: toArtifact(row, steps.all), outcome: 'unchanged' };
        await writeSteps(db, id, steps.changed, at);
        await db.updateTable('artifacts').set({ updated_at: at }).where('id', '=', id).execute();
        return audited(db, { artifact: toArtifact({ ...row, updated_at: at }, steps.all), outcome: 'updated' }, audit);
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
  /** A write other stores hear of: another replica's event stream shows the report too. */
  const announced = async (r: RecordedArtifact): Promise<RecordedArtifact> => {
    if (r.outcome !== 'unchanged')
      await ctx.changes.announce(ctx.db, {
        kind: 'artifact',
        id: r.artifact.id,
        outcome: r.outcome,
        store: ctx.leases.id,
      });
    return r;
  };
  return {
    ...store,
    recordArtifact: async (a, audit) => announced(await store.recordArtifact(a, audit)),
    recordArtifactStep: async (id, step, audit) => {
      const r = await store.recordArtifactStep(id, step, audit);
      return r && announced(r);
    },
  };
}
