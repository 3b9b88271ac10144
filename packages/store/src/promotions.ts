import { randomUUID } from 'node:crypto';
import { IllegalTransitionError, PromotionNotFoundError, StaleClaimError } from './errors.js';
import { canTransition, UNFINISHED_STATES } from './promotion-state.js';
import type { PromotionState } from './promotion-state.js';
import { clampLimit, decodeCursor, parseInput, toPage, toEvent, toPromotion } from './rows.js';
import type { StoreContext } from './store-context.js';
import { addEvent, write } from './store-context.js';
import { newPromotionSchema } from './types.js';
import type { NewPromotion, Page, Promotion, PromotionQuery, PromotionWithEvents, TransitionPatch } from './types.js';

const CURSOR_TAG = 'p';

export async function createPromotion(ctx: StoreContext, input: NewPromotion): Promise<Promotion> {
  const p = parseInput(newPromotionSchema, input, 'promotion');
  const at = ctx.now().toISOString();
  const id = p.id ?? randomUUID();
  return write(ctx, async (trx, out) => {
    const row = await trx
      .insertInto('promotions')
      .values({
        id,
        pipeline: p.pipeline,
        phase: p.phase,
        from_phase: p.fromPhase ?? null,
        from_digest: p.fromDigest ?? null,
        from_version: p.fromVersion ?? null,
        to_digest: p.toDigest,
        to_version: p.toVersion,
        target: JSON.stringify(p.target),
        trigger: JSON.stringify(p.trigger),
        reason: p.reason,
        state: p.waiting ? 'waiting' : 'queued',
        gates: p.gates ? JSON.stringify(p.gates) : null,
        commit_sha: null,
        attempts: 0,
        error: null,
        claimed_by: null,
        lease: null,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await addEvent(ctx, trx, out, row, p.waiting ? 'waiting' : 'queued', at, {});
    return toPromotion(row);
  });
}

export async function transition(
  ctx: StoreContext,
  id: string,
  to: PromotionState,
  patch: TransitionPatch = {},
): Promise<Promotion> {
  const at = ctx.now().toISOString();
  return write(ctx, async (trx, out) => {
    const { ifAttempt } = patch;
    const read = () =>
      trx.selectFrom('promotions').select(['state', 'attempts']).where('id', '=', id).executeTakeFirst();
    /** Why the promotion, as it is now, refuses this transition (undefined: it does not). */
    const refusal = (now: { state: string; attempts: number }) =>
      ifAttempt !== undefined && now.attempts !== ifAttempt
        ? new StaleClaimError(id, ifAttempt, now.attempts)
        : canTransition(now.state as PromotionState, to)
          ? undefined
          : new IllegalTransitionError(id, now.state as PromotionState, to);
    const current = await read();
    if (!current) throw new PromotionNotFoundError(id);
    const refused = refusal(current);
    if (refused) throw refused;
    const from = current.state as PromotionState;
    // The state (and claim) guard makes a concurrent transition lose cleanly instead of being overwritten.
    let update = trx
      .updateTable('promotions')
      .set({
        state: to,
        updated_at: at,
        ...(patch.commitSha !== undefined && { commit_sha: patch.commitSha }),
        ...(patch.error !== undefined && { error: JSON.stringify(patch.error) }),
      })
      .where('id', '=', id)
      .where('state', '=', from);
    if (ifAttempt !== undefined) update = update.where('attempts', '=', ifAttempt);
    const row = await update.returningAll().executeTakeFirst();
    if (!row) {
      // another writer moved it between our read and our update
      const now = await read();
      throw (now && refusal(now)) ?? new IllegalTransitionError(id, (now?.state ?? from) as PromotionState, to);
    }
    await addEvent(ctx, trx, out, row, to, at, {
      ...patch.detail,
      ...(patch.commitSha !== undefined && { commitSha: patch.commitSha }),
      ...(patch.error !== undefined && { error: patch.error }),
    });
    return toPromotion(row);
  });
}

export async function getPromotion(ctx: StoreContext, id: string): Promise<PromotionWithEvents | undefined> {
  const row = await ctx.db.selectFrom('promotions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const events = await ctx.db
    .selectFrom('promotion_events')
    .selectAll()
    .where('promotion_id', '=', id)
    .orderBy('seq')
    .execute();
  return { ...toPromotion(row), events: events.map(toEvent) };
}

/** Newest first; keyset pagination on the insertion sequence, so pages stay stable while rows are added. */
export async function listPromotions(ctx: StoreContext, q: PromotionQuery): Promise<Page<Promotion>> {
  const limit = clampLimit(q.limit);
  let query = ctx.db.selectFrom('promotions').selectAll().where('pipeline', '=', q.pipeline);
  if (q.phase !== undefined) query = query.where('phase', '=', q.phase);
  if (q.cursor !== undefined) query = query.where('seq', '<', decodeCursor(CURSOR_TAG, q.cursor));
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();
  return toPage(CURSOR_TAG, rows, limit, toPromotion);
}

/** Promotions a crashed process may have left in flight, oldest first. */
export async function unfinishedPromotions(ctx: StoreContext): Promise<Promotion[]> {
  const rows = await ctx.db
    .selectFrom('promotions')
    .selectAll()
    .where('state', 'in', UNFINISHED_STATES)
    .orderBy('seq')
    .execute();
  return rows.map(toPromotion);
}

/**
 * Marks the queued promotions of a phase that are older than `exceptId` superseded;
 * returns their ids. Newer queued ones are left alone: they supersede `exceptId`.
 */
export async function supersedeQueued(
  ctx: StoreContext,
  pipeline: string,
  phase: string,
  exceptId: string,
): Promise<string[]> {
  const at = ctx.now().toISOString();
  return write(ctx, async (trx, out) => {
    const keep = await trx.selectFrom('promotions').select('seq').where('id', '=', exceptId).executeTakeFirst();
    if (!keep) throw new PromotionNotFoundError(exceptId);
    const rows = await trx
      .updateTable('promotions')
      .set({ state: 'superseded', updated_at: at })
      .where('pipeline', '=', pipeline)
      .where('phase', '=', phase)
      .where('state', 'in', ['queued', 'waiting'])
      .where('seq', '<', keep.seq)
      .returning(['id', 'seq', 'pipeline', 'phase'])
      .execute();
    rows.sort((a, b) => a.seq - b.seq);
    for (const r of rows) await addEvent(ctx, trx, out, r, 'superseded', at, { supersededBy: exceptId });
    return rows.map((r) => r.id);
  });
}
