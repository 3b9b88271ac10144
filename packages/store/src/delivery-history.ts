import type { RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { StoreContext } from './store-context.js';

/** Which deployments the delivery metrics read: from `from` on, of one pipeline or phase or all. */
export interface DeliveryHistoryQuery {
  /** ISO 8601: deployments that succeeded at or after it (and each phase's last one before it). */
  readonly from: string;
  readonly pipeline?: string;
  readonly phase?: string;
}

/** A promotion that succeeded with a commit, and what followed it; the metrics' input row. */
export interface DeliveryRecord {
  readonly pipeline: string;
  readonly phase: string;
  readonly seq: number;
  readonly digest: string;
  /** When it succeeded. */
  readonly deployedAt: string;
  /** A person's rollback to an earlier promotion's version (`trigger.rollbackOf`). */
  readonly rollback?: boolean;
  readonly deployment?: { readonly state: string; readonly at: string };
  readonly verification?: { readonly state: string; readonly at: string };
}

/** When the change a version carries was made, and how that is known. */
export interface VersionSourceTime {
  readonly at: string;
  /**
   * `artifact`: the commit time a CI artifact report gave; `image`: the commit time read from
   * the image's OCI labels (a report made from them); `first-seen`: the version's first
   * promotion in the pipeline (any phase, any state), when nothing reported its commit.
   */
  readonly from: 'artifact' | 'image' | 'first-seen';
}

/** The rows delivery metrics are computed from, and when each version's change was made. */
export interface DeliveryHistory {
  /** Deployments from `from` on, plus each phase's last one before `from`; unordered. */
  readonly deployments: DeliveryRecord[];
  /** By `versionKey(pipeline, digest)`. */
  readonly sources: ReadonlyMap<string, VersionSourceTime>;
}

/** The key of `sources`. */
export const versionKey = (pipeline: string, digest: string): string => `${pipeline} ${digest}`;

interface Row {
  pipeline: string;
  phase: string;
  seq: number | string;
  to_digest: string;
  deployed_at: string;
  rollback: number | boolean | null;
  deployment_state: string | null;
  deployment_at: string | null;
  verification_state: string | null;
  verification_at: string | null;
}

/** Phases per `before` query: three parameters each, well within SQLite's and PostgreSQL's limits. */
const PHASES_PER_QUERY = 500;

/**
 * Reads what the delivery metrics need in a few queries, whatever the fleet's size: the
 * deployments from `from` on (through the partial index on the time promotions succeeded); the
 * last deployment before `from` of each phase that has one after (an index walk per phase, in
 * batches); the commit times CI reported; and each version's first promotion (an index-only
 * scan), the fallback source time. JSON columns are read by the database, and only the fields
 * the computation uses leave it.
 */
export async function deliveryHistory(ctx: StoreContext, q: DeliveryHistoryQuery): Promise<DeliveryHistory> {
  const json = (column: string, field: string): RawBuilder<string | null> =>
    ctx.dialect === 'postgres'
      ? sql`(${sql.ref(column)}::json ->> ${sql.lit(field)})`
      : sql`json_extract(${sql.ref(column)}, ${sql.lit(`$.${field}`)})`;
  const fieldsWith = (deployedAt: RawBuilder<unknown>) => sql`p.seq, p.pipeline, p.phase, p.to_digest,
    ${deployedAt} as deployed_at,
    ${json('p.trigger', 'rollbackOf')} is not null as rollback,
    ${json('p.deployment', 'state')} as deployment_state, ${json('p.deployment', 'at')} as deployment_at,
    ${json('p.verification', 'state')} as verification_state, ${json('p.verification', 'at')} as verification_at`;
  const fields = fieldsWith(sql`e.at`);
  const scope = sql.join(
    [
      sql`p.commit_sha is not null`,
      ...(q.pipeline !== undefined ? [sql`p.pipeline = ${q.pipeline}`] : []),
      ...(q.phase !== undefined ? [sql`p.phase = ${q.phase}`] : []),
    ],
    sql` and `,
  );
  const recent = await sql<Row>`
    select ${fields}
    from promotion_events e join promotions p on p.id = e.promotion_id
    where e.state = 'succeeded' and e.at >= ${q.from} and ${scope}`.execute(ctx.db);

  // the version each phase held when the period began (a rollback goes back to it): within a
  // phase promotions run one at a time in the order they were made, so it is the last success
  // made before the phase's first one of the period. `(state || '')` keeps SQLite's planner on
  // the (pipeline, phase, seq) index: on (state, seq) it walks every phase's successes instead.
  const firstOfPhase = new Map<string, { pipeline: string; phase: string; seq: number }>();
  for (const r of recent.rows) {
    const key = `${r.pipeline}\u0000${r.phase}`;
    const seq = Number(r.seq);
    const known = firstOfPhase.get(key);
    if (!known || seq < known.seq) firstOfPhase.set(key, { pipeline: r.pipeline, phase: r.phase, seq });
  }
  const phases = [...firstOfPhase.values()];
  const before: Row[] = [];
  for (let i = 0; i < phases.length; i += PHASES_PER_QUERY) {
    const values = sql.join(
      phases.slice(i, i + PHASES_PER_QUERY).map((f) => sql`(${f.pipeline}, ${f.phase}, cast(${f.seq} as integer))`),
    );
    // when it succeeded: its last event (nothing follows `succeeded`), looked up by promotion id;
    // a join naming the state makes SQLite build an automatic index over every event instead
    const succeededAt = sql`(select max(e.at) from promotion_events e where e.promotion_id = p.id)`;
    const rows = await sql<Row>`
      select ${fieldsWith(succeededAt)}
      from (values ${values}) f
        join promotions p on p.seq = (
          select max(r.seq) from promotions r
          where r.pipeline = f.column1 and r.phase = f.column2 and r.seq < f.column3
            and (r.state || '') = 'succeeded' and r.commit_sha is not null)`.execute(ctx.db);
    before.push(...rows.rows);
  }

  // the commit times CI reported (or read from image labels), by digest: one scan of the
  // reports, cheaper than a lookup for each of a fleet's deployments
  const reports = await sql<{ digest: string; commit_time: string; labelled: string }>`
    select a.digest, a.commit_time, a.labelled from artifacts a
    where a.commit_time is not null and a.digest is not null
    ${q.pipeline !== undefined ? sql`and a.digest in (select to_digest from promotions where pipeline = ${q.pipeline})` : sql``}`.execute(
    ctx.db,
  );
  const reported = new Map<string, VersionSourceTime>();
  for (const r of reports.rows)
    reported.set(r.digest, {
      at: new Date(r.commit_time).toISOString(),
      from: (JSON.parse(r.labelled) as string[]).includes('time') ? 'image' : 'artifact',
    });
  const sources = new Map<string, VersionSourceTime>();
  if (recent.rows.length > 0) {
    const seen = await sql<{ pipeline: string; digest: string; at: string }>`
      select pipeline, to_digest as digest, min(created_at) as at from promotions
      ${q.pipeline !== undefined ? sql`where pipeline = ${q.pipeline}` : sql``}
      group by pipeline, to_digest`.execute(ctx.db);
    for (const r of seen.rows)
      sources.set(versionKey(r.pipeline, r.digest), reported.get(r.digest) ?? { at: r.at, from: 'first-seen' });
  }
  return { deployments: [...before, ...recent.rows].map(toRecord), sources };
}

function toRecord(r: Row): DeliveryRecord {
  return {
    pipeline: r.pipeline,
    phase: r.phase,
    seq: Number(r.seq),
    digest: r.to_digest,
    deployedAt: r.deployed_at,
    ...(r.rollback === true || r.rollback === 1 ? { rollback: true } : {}),
    ...(r.deployment_state !== null && r.deployment_at !== null
      ? { deployment: { state: r.deployment_state, at: r.deployment_at } }
      : {}),
    ...(r.verification_state !== null && r.verification_at !== null
      ? { verification: { state: r.verification_state, at: r.verification_at } }
      : {}),
  };
}
