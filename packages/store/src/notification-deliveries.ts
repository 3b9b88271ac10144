import type { StoreContext } from './store-context.js';

/** One notification attempt as the notifier reports it; kept whole, with the fields queries need. */
export interface DeliveryAttempt {
  readonly idempotencyKey: string;
  readonly promotionId: string;
  readonly outcome: string;
  readonly at: string;
  readonly [field: string]: unknown;
}

export async function recordDelivery(ctx: StoreContext, r: DeliveryAttempt): Promise<void> {
  await ctx.db
    .insertInto('notification_deliveries')
    .values({
      key: r.idempotencyKey,
      promotion_id: r.promotionId,
      outcome: r.outcome,
      at: r.at,
      record: JSON.stringify(r),
    })
    .execute();
}

/** Whether a delivery with this key reached its receiver (a redelivery after a crash then sends nothing). */
export async function wasDelivered(ctx: StoreContext, key: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('notification_deliveries')
    .select('seq')
    .where('key', '=', key)
    .where('outcome', '=', 'delivered')
    .executeTakeFirst();
  return row !== undefined;
}

/** Every attempt recorded for a promotion's notifications, oldest first. */
export async function listDeliveries(ctx: StoreContext, promotionId: string): Promise<DeliveryAttempt[]> {
  const rows = await ctx.db
    .selectFrom('notification_deliveries')
    .select('record')
    .where('promotion_id', '=', promotionId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => JSON.parse(r.record) as DeliveryAttempt);
}
