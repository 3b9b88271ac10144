import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type {
  CheckResultRecord,
  DeployerEventRecord,
  NewDeployerEvent,
  PromotionDeployment,
  PromotionVerification,
} from './deployment-types.js';
import { toPromotion } from './rows.js';
import type { DeployerEventsTable } from './schema.js';
import type { StoreContext } from './store-context.js';
import type { Page, Promotion } from './types.js';

export const toEvent = (r: Selectable<DeployerEventsTable>): DeployerEventRecord => ({
  id: r.id,
  key: r.key,
  receivedAt: r.received_at,
  deployer: r.deployer,
  object: {
    kind: r.object_kind,
    ...(r.object_namespace !== null ? { namespace: r.object_namespace } : {}),
    name: r.object_name,
  },
  ...(r.revision !== null ? { revision: r.revision } : {}),
  ...(r.commit_sha !== null ? { commit: r.commit_sha } : {}),
  state: r.state as DeployerEventRecord['state'],
  ...(r.reason !== null ? { reason: r.reason } : {}),
  message: r.message,
  occurredAt: r.occurred_at,
  matched: JSON.parse(r.matched) as string[],
});

/**
 * Records a deployer report once per idempotency key. `fresh` is false when the same
 * report was recorded before (a redelivery): the caller acknowledges and does nothing.
 */
export async function recordDeployerEvent(
  ctx: StoreContext,
  e: NewDeployerEvent,
): Promise<{ fresh: boolean; event: DeployerEventRecord }> {
  const row = {
    id: randomUUID(),
    key: e.key,
    received_at: ctx.now().toISOString(),
    deployer: e.deployer,
    object_kind: e.object.kind,
    object_namespace: e.object.namespace ?? null,
    object_name: e.object.name,
    revision: e.revision ?? null,
    commit_sha: e.commit ?? null,
    state: e.state,
    reason: e.reason ?? null,
    message: e.message,
    occurred_at: e.occurredAt,
    matched: JSON.stringify(e.matched),
  };
  const inserted = await ctx.db
    .insertInto('deployer_events')
    .values(row)
    .onConflict((oc) => oc.column('key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { fresh: true, event: toEvent(inserted) };
  const existing = await ctx.db
    .selectFrom('deployer_events')
    .selectAll()
    .where('key', '=', e.key)
    .executeTakeFirstOrThrow();
  return { fresh: false, event: toEvent(existing) };
}

/** Newest first; `unmatched` lists only reports no phase claimed (a mapping to fix). */
export async function listDeployerEvents(
  ctx: StoreContext,
  q: { unmatched?: boolean; limit?: number; before?: number },
): Promise<Page<DeployerEventRecord>> {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  let query = ctx.db
    .selectFrom('deployer_events')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(limit + 1);
  if (q.unmatched) query = query.where('matched', '=', '[]');
  if (q.before !== undefined) query = query.where('seq', '<', q.before);
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toEvent),
    ...(rows.length > limit && last ? { nextCursor: String(last.seq) } : {}),
  };
}

/** The phase's succeeded promotions that wrote a commit, newest first: candidates for a deployer event. */
export async function committedPromotions(
  ctx: StoreContext,
  pipeline: string,
  phase: string,
  limit = 20,
): Promise<Promotion[]> {
  const rows = await ctx.db
    .selectFrom('promotions')
    .selectAll()
    .where('pipeline', '=', pipeline)
    .where('phase', '=', phase)
    .where('state', '=', 'succeeded')
    .where('commit_sha', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toPromotion);
}

/** Records where the deployer says the promotion stands; returns it as now recorded. */
export async function setDeployment(ctx: StoreContext, id: string, d: PromotionDeployment): Promise<Promotion> {
  const row = await ctx.db
    .updateTable('promotions')
    .set({ deployment: JSON.stringify(d), updated_at: ctx.now().toISOString() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPromotion(row);
}

/**
 * Moves verification on, compare-and-set on the run: a re-run started meanwhile (a higher
 * run) wins, and the older run's verdict is dropped (`undefined`).
 */
export async function setVerification(
  ctx: StoreContext,
  id: string,
  v: PromotionVerification,
): Promise<Promotion | undefined> {
  const current = await ctx.db.selectFrom('promotions').select('verification').where('id', '=', id).executeTakeFirst();
  const run = current?.verification ? (JSON.parse(current.verification) as PromotionVerification).run : 0;
  if (v.run < run) return undefined;
  let update = ctx.db
    .updateTable('promotions')
    .set({ verification: JSON.stringify(v), updated_at: ctx.now().toISOString() })
    .where('id', '=', id);
  update =
    current?.verification == null
      ? update.where('verification', 'is', null)
      : update.where('verification', '=', current.verification);
  const row = await update.returningAll().executeTakeFirst();
  return row ? toPromotion(row) : undefined;
}

export async function recordCheckResult(
  ctx: StoreContext,
  r: Omit<CheckResultRecord, 'recordedAt'>,
): Promise<CheckResultRecord> {
  const recordedAt = ctx.now().toISOString();
  await ctx.db
    .insertInto('check_results')
    .values({
      promotion_id: r.promotionId,
      run: r.run,
      name: r.name,
      result: JSON.stringify(r.result),
      recorded_at: recordedAt,
    })
    .execute();
  return { ...r, recordedAt };
}

/** Every recorded check result of a promotion, oldest first (all runs). */
export async function listCheckResults(ctx: StoreContext, promotionId: string): Promise<CheckResultRecord[]> {
  const rows = await ctx.db
    .selectFrom('check_results')
    .selectAll()
    .where('promotion_id', '=', promotionId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    promotionId: r.promotion_id,
    run: r.run,
    name: r.name,
    result: JSON.parse(r.result) as Record<string, unknown>,
    recordedAt: r.recorded_at,
  }));
}

/** Promotions whose verification was left `running` (a process died mid-check): to resume. */
export async function unfinishedVerifications(ctx: StoreContext): Promise<Promotion[]> {
  const rows = await ctx.db
    .selectFrom('promotions')
    .selectAll()
    .where('verification', 'like', '%"state":"running"%')
    .orderBy('seq')
    .execute();
  return rows.map(toPromotion);
}
