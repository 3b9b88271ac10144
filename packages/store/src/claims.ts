import { sql } from 'kysely';
import { ACTIVE_STATES } from './promotion-state.js';
import { toPromotion } from './rows.js';
import type { PromotionChange } from './changes.js';
import type { Db, StoreContext } from './store-context.js';
import { addEvent, write } from './store-context.js';
import type { Promotion } from './types.js';

/** The oldest queued promotion of each phase that has none active, oldest first. */
function claimCandidates(db: Db) {
  return db
    .selectFrom('promotions as p')
    .select(['p.seq', 'p.pipeline', 'p.phase'])
    .where('p.state', '=', 'queued')
    .where(({ exists, not, selectFrom }) =>
      not(
        exists(
          selectFrom('promotions as a')
            .select(sql.lit(1).as('one'))
            .whereRef('a.pipeline', '=', 'p.pipeline')
            .whereRef('a.phase', '=', 'p.phase')
            .where((eb) =>
              eb.or([
                eb('a.state', 'in', ACTIVE_STATES),
                eb.and([eb('a.state', '=', 'queued'), eb('a.seq', '<', eb.ref('p.seq'))]),
              ]),
            ),
        ),
      ),
    )
    .orderBy('p.seq');
}

async function markClaimed(
  ctx: StoreContext,
  db: Db,
  out: PromotionChange[],
  seq: number,
  owner: string,
  at: string,
): Promise<Promotion | undefined> {
  const row = await db
    .updateTable('promotions')
    .set((eb) => ({
      state: 'running',
      claimed_by: owner,
      lease: ctx.leases.id,
      updated_at: at,
      attempts: eb('attempts', '+', 1),
    }))
    .where('seq', '=', seq)
    .where('state', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  await addEvent(ctx, db, out, row, 'running', at, { claimedBy: owner });
  return toPromotion(row);
}

/**
 * Moves one queued promotion to running, for a phase with nothing active, exactly
 * once across all stores on the database.
 *
 * Only the head of a phase's queue is ever a candidate, and the update is guarded by
 * `state = 'queued'`, so two claimers can at worst race for the same row and one
 * loses. SQLite: one IMMEDIATE transaction (the write lock is taken before reading,
 * so another process cannot interleave). PostgreSQL: per candidate phase a
 * transaction-scoped advisory lock lets one claimer at a time in (the others move on
 * to other phases instead of queueing behind it); after taking it a fresh statement
 * re-reads the phase, seeing every claim committed before, and locks the row
 * `FOR UPDATE SKIP LOCKED` so a row another transaction is changing is skipped, not waited for.
 */
export async function claimNextQueued(ctx: StoreContext, owner: string, only?: string): Promise<Promotion | undefined> {
  // Before the claim can commit, so that no one ever sees it with a lease nobody holds.
  await ctx.leases.hold();
  const at = ctx.now().toISOString();
  // `only`: claim that promotion if it is its phase's next, and nothing else (a CLI runs its own)
  const candidates = (db: Db) =>
    only === undefined ? claimCandidates(db) : claimCandidates(db).where('p.id', '=', only);
  if (ctx.dialect === 'sqlite') {
    return write(ctx, async (conn, out) => {
      const candidate = await candidates(conn).limit(1).executeTakeFirst();
      return candidate && (await markClaimed(ctx, conn, out, candidate.seq, owner, at));
    });
  }
  return write(ctx, async (trx, out) => {
    for (const c of await candidates(trx).limit(16).execute()) {
      const key = `/claim/${c.pipeline}/${c.phase}`;
      const lock = await sql<{ ok: boolean }>`
        select pg_try_advisory_xact_lock(hashtext(current_schema() || ${key})) as ok`.execute(trx);
      if (!lock.rows[0]?.ok) continue;
      // A fresh statement after taking the lock: it sees every claim committed before.
      const row = await candidates(trx)
        .where('p.pipeline', '=', c.pipeline)
        .where('p.phase', '=', c.phase)
        .limit(1)
        .forUpdate('p')
        .skipLocked()
        .executeTakeFirst();
      if (!row) continue;
      const claimed = await markClaimed(ctx, trx, out, row.seq, owner, at);
      if (claimed) return claimed;
    }
    return undefined;
  });
}

/**
 * Active (running, committed, pushed) promotions whose claiming store is gone: its
 * process died or closed the store. These need resolving against the remote; the
 * rest of the active ones are being worked on. Oldest first.
 */
export async function orphanedPromotions(ctx: StoreContext): Promise<Promotion[]> {
  const rows = await ctx.db
    .selectFrom('promotions')
    .selectAll()
    .where('state', 'in', ACTIVE_STATES)
    .orderBy('seq')
    .execute();
  const alive = new Map<string | null, boolean>();
  for (const r of rows) if (!alive.has(r.lease)) alive.set(r.lease, await ctx.leases.alive(r.lease));
  return rows.filter((r) => !alive.get(r.lease)).map(toPromotion);
}
