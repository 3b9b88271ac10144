import type { Duration } from '@gantry/core';
import type { StoreContext } from './store-context.js';
import { writeTransaction } from './write-transaction.js';

/** What `rememberDeliveries` found: ids never seen (now remembered) and ids seen within the window. */
export interface DeliveryCheck {
  readonly fresh: readonly string[];
  readonly seen: readonly string[];
}

/** Ids are namespaced by their sender and bounded: a delivery id is a GUID or an event id. */
const MAX_ID_LENGTH = 256;

/**
 * Remembers webhook delivery ids for `retention` and tells which of `ids` were already
 * seen within it: the receiver acts on fresh ones only, so a replayed delivery is
 * acknowledged and ignored. Ids older than `retention` are pruned in the same
 * transaction, so an id seen before the window counts as fresh again. Several stores
 * (replicas) may call this at once: the primary key decides which one sees an id first.
 */
export async function rememberDeliveries(
  ctx: StoreContext,
  ids: readonly string[],
  retention: Duration,
): Promise<DeliveryCheck> {
  const unique = [...new Set(ids)].filter((id) => id.length > 0 && id.length <= MAX_ID_LENGTH);
  const now = ctx.now();
  const cutoff = new Date(now.getTime() - retention.ms).toISOString();
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    await trx.deleteFrom('webhook_deliveries').where('received_at', '<', cutoff).execute();
    if (unique.length === 0) return { fresh: [], seen: [] };
    const inserted = await trx
      .insertInto('webhook_deliveries')
      .values(unique.map((id) => ({ id, received_at: now.toISOString() })))
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    const fresh = new Set(inserted.map((r) => r.id));
    return { fresh: unique.filter((id) => fresh.has(id)), seen: unique.filter((id) => !fresh.has(id)) };
  });
}

/** How many delivery ids are remembered now (for tests and metrics). */
export async function countDeliveries(ctx: StoreContext): Promise<number> {
  const r = await ctx.db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
