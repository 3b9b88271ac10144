import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { Database } from './schema.js';
import type { StoreContext } from './store-context.js';

/** Which deployments the delivery metrics read: from `from` on, of one pipeline or phase or all. */
export interface DeliveryHistoryQuery {
  /** ISO 8601: deployments that succeeded at or after it (and each phase's last one before it). */
  readonly from: string;
  readonly pipeline?: string;
  readonly phase?: string;
}

/** Where a version's source time came from (see `PhaseDeliveries.sourceFrom`). */
export type SourceOrigin = 'artifact' | 'image' | 'first-seen';

/**
 * The deployments of one phase (promotions that succeeded with a commit, and what followed
 * them) column by column: index `i` of every array is one deployment. The metrics' input
 * (`PhaseDeployments` of @gantry/metrics).
 */
export interface PhaseDeliveries {
  readonly pipeline: string;
  readonly phase: string;
  readonly seq: number[];
  readonly digest: string[];
  /** When it succeeded, ISO 8601. */
  readonly deployedAt: string[];
  /** 1 for a person's rollback to an earlier promotion's version (`trigger.rollbackOf`), else 0. */
  readonly rollback: number[];
  readonly deploymentState: (string | null)[];
  readonly deploymentAt: (string | null)[];
  readonly verificationState: (string | null)[];
  readonly verificationAt: (string | null)[];
  /** When the change the version carries was made. */
  readonly sourceAt: string[];
  /**
   * How that is known: `artifact`, the commit time a CI artifact report gave (the newest report
   * of the digest that has one); `image`, the commit time read from the image's OCI labels (a
   * report made from them); `first-seen`, the version's first promotion in the pipeline (any
   * phase, any state) when nothing reported its commit.
   */
  readonly sourceFrom: SourceOrigin[];
}

/** The rows delivery metrics are computed from: each phase with a deployment from `from` on. */
export interface DeliveryHistory {
  /** Each phase's deployments from `from` on, plus its last one before `from`; unordered. */
  readonly phases: PhaseDeliveries[];
}

interface Row {
  pipeline: string;
  phase: string;
  /** The smallest promotion_seq of the group: where the phase's period begins. */
  first: number | string;
  promotion_seq: unknown;
  digest: unknown;
  deployed_at: unknown;
  rollback: unknown;
  deployment_state: unknown;
  deployment_at: unknown;
  verification_state: unknown;
  verification_at: unknown;
  source_at: unknown;
  source_from: unknown;
}

const COLUMNS = [
  'promotion_seq',
  'digest',
  'deployed_at',
  'rollback',
  'deployment_state',
  'deployment_at',
  'verification_state',
  'verification_at',
] as const;

/** Phases per `before` query: three parameters each, well within SQLite's and PostgreSQL's limits. */
const PHASES_PER_QUERY = 500;

/**
 * Reads what the delivery metrics need, whatever the fleet's size, from `delivery_records`
 * (kept by the database as promotions succeed, see delivery-records-migration.ts): the
 * deployments from `from` on in a walk of the (pipeline, phase, time) index (on SQLite in
 * batches of phases, see `inBatches`), each with its source time (the newest CI report of its
 * digest that has a commit time, else when the version was first seen); then the last
 * deployment before them of each phase (an index lookup per phase, in batches). The database
 * groups the rows by phase into JSON arrays, one row a phase: a fleet's year is 2,000 rows to
 * parse instead of 100,000.
 */
export async function deliveryHistory(ctx: StoreContext, q: DeliveryHistoryQuery): Promise<DeliveryHistory> {
  // PostgreSQL: more working memory for the grouping (`set local work_mem`, in a transaction)
  // made its sort stay in memory but the whole read slower (0.85-1.1 s instead of 0.4-0.98 s for
  // a fleet's year, measured side by side): the default is kept
  return read(ctx.db, ctx.dialect === 'postgres', q);
}

async function read(db: Kysely<Database>, pg: boolean, q: DeliveryHistoryQuery): Promise<DeliveryHistory> {
  const scope = sql.join(
    [
      sql`d.deployed_at >= ${q.from}`,
      ...(q.pipeline !== undefined ? [sql`d.pipeline = ${q.pipeline}`] : []),
      ...(q.phase !== undefined ? [sql`d.phase = ${q.phase}`] : []),
    ],
    sql` and `,
  );
  const recent = pg
    ? (await sql<Row>`${grouped(pg, sql`delivery_records d`)} where ${scope} group by d.pipeline, d.phase`.execute(db))
        .rows
    : await inBatches(db, scope);
  const phases = recent.map(toPhase);

  // the version each phase held when the period began (a rollback goes back to it): within a
  // phase promotions run one at a time in the order they were made, so it is the last
  // deployment made before the phase's first one of the period
  const byKey = new Map(phases.map((p) => [`${p.pipeline}\u0000${p.phase}`, p]));
  for (let i = 0; i < recent.length; i += PHASES_PER_QUERY) {
    if (!pg) await nextTurn();
    const values = sql.join(
      recent
        .slice(i, i + PHASES_PER_QUERY)
        .map((f) => sql`(${f.pipeline}, ${f.phase}, cast(${Number(f.first)} as integer))`),
    );
    const phasesBefore = sql`(values ${values}) f join delivery_records d on d.promotion_seq = (
      select max(x.promotion_seq) from delivery_records x
      where x.pipeline = f.column1 and x.phase = f.column2 and x.promotion_seq < f.column3)`;
    const before = await sql<Row>`${grouped(pg, phasesBefore)} group by d.pipeline, d.phase`.execute(db);
    for (const row of before.rows) {
      const into = byKey.get(`${row.pipeline}\u0000${row.phase}`);
      if (into) append(into, toPhase(row));
    }
  }
  return { phases };
}

/** Phases per query on SQLite: each query holds the event loop a few tens of ms for a fleet's year. */
const PHASES_PER_SQLITE_QUERY = 250;

/** Lets the event loop serve what waits (other requests) between two synchronous SQLite queries. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * SQLite answers on the event loop's thread: the phases a batch at a time, in index order
 * (keyset on pipeline and phase), with a turn of the event loop between batches, so that a
 * fleet's year does not keep every other request waiting for the whole read.
 */
async function inBatches(db: Kysely<Database>, scope: RawBuilder<unknown>): Promise<Row[]> {
  const rows: Row[] = [];
  for (let after: Row | undefined; ; ) {
    // named: on the (pipeline, phase) range alone SQLite's planner may take the seq index and
    // read every row of the fleet's history for its time
    const batch = await sql<Row>`${grouped(false, sql`delivery_records d indexed by delivery_records_phase_at`)}
      where ${scope} ${after ? sql`and (d.pipeline, d.phase) > (${after.pipeline}, ${after.phase})` : sql``}
      group by d.pipeline, d.phase order by d.pipeline, d.phase limit ${PHASES_PER_SQLITE_QUERY}`.execute(db);
    rows.push(...batch.rows);
    after = batch.rows.at(-1);
    if (!after || batch.rows.length < PHASES_PER_SQLITE_QUERY) return rows;
    await nextTurn();
  }
}

/**
 * `select ... from <from> <joins>` of the aggregate, where `from` names the deployments `d`:
 * each column of the deployments as a JSON array, and each one's source time; a `where` and
 * `group by` follow.
 */
function grouped(pg: boolean, from: RawBuilder<unknown>) {
  const agg = (expr: string, as: string) =>
    sql.raw(pg ? `json_agg(${expr}) as ${as}` : `json_group_array(${expr}) as ${as}`);
  // the newest report of the digest with a commit time: PostgreSQL joins them all by hash,
  // SQLite looks each up through the digest index (it has no DISTINCT ON)
  const reports = pg
    ? sql`left join (
        select distinct on (digest) digest, commit_time, labelled from artifacts
        where digest is not null and commit_time is not null order by digest, seq desc) a on a.digest = d.digest`
    : sql`left join artifacts a on a.seq = (
        select max(x.seq) from artifacts x where x.digest = d.digest and x.commit_time is not null)`;
  return sql`select d.pipeline, d.phase, min(d.promotion_seq) as first,
    ${sql.join(COLUMNS.map((c) => agg(`d.${c}`, c)))},
    ${agg('coalesce(a.commit_time, d.first_seen)', 'source_at')},
    ${agg(`case when a.commit_time is null then 'first-seen' when a.labelled like '%"time"%' then 'image' else 'artifact' end`, 'source_from')}
    from ${from} ${reports}`;
}

/** A JSON array as SQLite gives it (text) or PostgreSQL's driver parsed it. */
function list<T>(v: unknown): T[] {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T[];
}

function toPhase(r: Row): PhaseDeliveries {
  return {
    pipeline: r.pipeline,
    phase: r.phase,
    seq: list<number | string>(r.promotion_seq).map(Number),
    digest: list(r.digest),
    deployedAt: list(r.deployed_at),
    rollback: list<number | string>(r.rollback).map(Number),
    deploymentState: list(r.deployment_state),
    deploymentAt: list(r.deployment_at),
    verificationState: list(r.verification_state),
    verificationAt: list(r.verification_at),
    sourceAt: list(r.source_at),
    sourceFrom: list(r.source_from),
  };
}

function append(into: PhaseDeliveries, more: PhaseDeliveries): void {
  for (const k of [
    'seq',
    'digest',
    'deployedAt',
    'rollback',
    'deploymentState',
    'deploymentAt',
    'verificationState',
    'verificationAt',
    'sourceAt',
    'sourceFrom',
  ] as const)
    (into[k] as unknown[]).push(...more[k]);
}
