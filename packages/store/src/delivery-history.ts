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
  readonly id: string;
  readonly pipeline: string;
  readonly phase: string;
  readonly seq: number;
  readonly digest: string;
  readonly version: string;
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
  /** `first-seen`: the version's first promotion in the pipeline (any phase, any state). */
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
  id: string;
  pipeline: string;
  phase: string;
  seq: number | string;
  to_digest: string;
  to_version: string;
  deployed_at: string;
  rollback: number | boolean | null;
  deployment_state: string | null;
  deployment_at: string | null;
  verification_state: string | null;
  verification_at: string | null;
}

/**
 * Reads what the delivery metrics need in three queries, whatever the fleet's size: the
 * deployments from `from` on (through the `succeeded` events' time index), each phase's last
 * deployment before `from`, and each version's first promotion (an index-only scan). The JSON of
 * deployment, verification and trigger is read by the database: only the fields needed leave it.
 */
export async function deliveryHistory(ctx: StoreContext, q: DeliveryHistoryQuery): Promise<DeliveryHistory> {
  const json = (column: string, field: string): RawBuilder<string | null> =>
    ctx.dialect === 'postgres'
      ? sql`(${sql.ref(column)}::json ->> ${sql.lit(field)})`
      : sql`json_extract(${sql.ref(column)}, ${sql.lit(`$.${field}`)})`;
  const fields = sql`p.seq, p.id, p.pipeline, p.phase, p.to_digest, p.to_version, e.at as deployed_at,
    ${json('p.trigger', 'rollbackOf')} is not null as rollback,
    ${json('p.deployment', 'state')} as deployment_state, ${json('p.deployment', 'at')} as deployment_at,
    ${json('p.verification', 'state')} as verification_state, ${json('p.verification', 'at')} as verification_at`;
  const scope = (alias: string) =>
    sql.join(
      [
        sql`${sql.ref(`${alias}.commit_sha`)} is not null`,
        ...(q.pipeline !== undefined ? [sql`${sql.ref(`${alias}.pipeline`)} = ${q.pipeline}`] : []),
        ...(q.phase !== undefined ? [sql`${sql.ref(`${alias}.phase`)} = ${q.phase}`] : []),
      ],
      sql` and `,
    );
  const recent = await sql<Row>`
    select ${fields}
    from promotion_events e join promotions p on p.id = e.promotion_id
    where e.state = 'succeeded' and e.at >= ${q.from} and ${scope('p')}`.execute(ctx.db);
  // the version each phase held when the period began: a rollback goes back to it
  const before = await sql<Row>`
    select ${fields}
    from promotions p join promotion_events e on e.promotion_id = p.id and e.state = 'succeeded'
    where p.id in (
      select (
        select r.id from promotions r join promotion_events re on re.promotion_id = r.id and re.state = 'succeeded'
        where r.pipeline = f.pipeline and r.phase = f.phase and r.commit_sha is not null and re.at < ${q.from}
        order by re.at desc, r.seq desc limit 1)
      from (
        select distinct p.pipeline, p.phase
        from promotion_events e join promotions p on p.id = e.promotion_id
        where e.state = 'succeeded' and e.at >= ${q.from} and ${scope('p')}) f)`.execute(ctx.db);
  const sources = new Map<string, VersionSourceTime>();
  if (recent.rows.length > 0) {
    const seen = await sql<{ pipeline: string; digest: string; at: string }>`
      select pipeline, to_digest as digest, min(created_at) as at from promotions
      ${q.pipeline !== undefined ? sql`where pipeline = ${q.pipeline}` : sql``}
      group by pipeline, to_digest`.execute(ctx.db);
    for (const r of seen.rows) sources.set(versionKey(r.pipeline, r.digest), { at: r.at, from: 'first-seen' });
  }
  return { deployments: [...before.rows, ...recent.rows].map(toRecord), sources };
}

function toRecord(r: Row): DeliveryRecord {
  return {
    id: r.id,
    pipeline: r.pipeline,
    phase: r.phase,
    seq: Number(r.seq),
    digest: r.to_digest,
    version: r.to_version,
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
