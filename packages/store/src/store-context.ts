import type { Kysely } from 'kysely';
import type { ChangeFeed, PromotionChange } from './changes.js';
import type { Dialect } from './migrations.js';
import type { PromotionState } from './promotion-state.js';
import type { Database } from './schema.js';
import { writeTransaction } from './write-transaction.js';

/** What the store's functions share, and how promotion state changes are written. */
export interface StoreContext {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly now: () => Date;
  readonly changes: ChangeFeed;
  readonly leases: Leases;
}

/** Claim leases: a store's claims are alive exactly as long as the store. */
export interface Leases {
  /** This store's lease id, recorded on its claims. */
  readonly id: string;
  /** Makes sure this store's lease is held before it claims; throws if it cannot be. */
  hold(): Promise<void>;
  alive(lease: string | null): Promise<boolean>;
}

export type Db = Kysely<Database>;

export type Subject = { readonly id: string; readonly pipeline: string; readonly phase: string };

/** Appends the event for a state change and announces it (collected into `out` for after commit). */
export async function addEvent(
  ctx: StoreContext,
  db: Db,
  out: PromotionChange[],
  p: Subject,
  state: PromotionState,
  at: string,
  detail: Record<string, unknown>,
) {
  await db
    .insertInto('promotion_events')
    .values({ promotion_id: p.id, state, at, detail: JSON.stringify(detail) })
    .execute();
  const change: PromotionChange = { id: p.id, pipeline: p.pipeline, phase: p.phase, state, at, store: ctx.leases.id };
  await ctx.changes.inTransaction(db, change);
  out.push(change);
}

/** A write transaction whose promotion changes are announced once it commits. */
export async function write<T>(ctx: StoreContext, fn: (trx: Db, out: PromotionChange[]) => Promise<T>): Promise<T> {
  const out: PromotionChange[] = [];
  const result = await writeTransaction(ctx.db, ctx.dialect, (trx) => fn(trx, out));
  ctx.changes.committed(out);
  return result;
}
