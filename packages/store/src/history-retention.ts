import { sql } from 'kysely';
import { TERMINAL_STATES } from './promotion-state.js';
import type { StoreContext } from './store-context.js';
import { write } from './store-context.js';

/** What a purge removed. */
export interface PurgedHistory {
  readonly promotions: number;
  readonly deployerEvents: number;
}

/**
 * Deletes history older than `before` (ISO 8601): settled promotions created before it, with
 * their events, check results and notification log, and deployer reports received before it.
 * Never the promotion that brought a phase its current version (its last success): the phase's
 * deployment, verification and rollback targets keep their record. Nothing calls this unless
 * `server.history.retention` is set; history is kept by default.
 */
export async function purgeHistory(ctx: StoreContext, before: string): Promise<PurgedHistory> {
  return write(ctx, async (trx) => {
    const doomed = sql`
      select p.id from promotions p
      where p.created_at < ${before}
        and p.state in (${sql.join(TERMINAL_STATES.map((s) => sql`${s}`))})
        and p.seq <> coalesce((
          select max(c.seq) from promotions c
          where c.pipeline = p.pipeline and c.phase = p.phase and c.state = 'succeeded'), -1)`;
    await sql`delete from check_results where promotion_id in (${doomed})`.execute(trx);
    await sql`delete from notification_deliveries where promotion_id in (${doomed})`.execute(trx);
    await sql`delete from promotion_events where promotion_id in (${doomed})`.execute(trx);
    const promotions = await sql`delete from promotions where id in (${doomed})`.execute(trx);
    const events = await trx.deleteFrom('deployer_events').where('received_at', '<', before).executeTakeFirst();
    return {
      promotions: Number(promotions.numAffectedRows ?? 0),
      deployerEvents: Number(events.numDeletedRows),
    };
  });
}
