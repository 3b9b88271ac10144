import { clampLimit, decodeCursor, toPage, toPromotion } from './rows.js';
import type { StoreContext } from './store-context.js';
import type { Page, Promotion } from './types.js';

/** The same cursor as a pipeline's history: both page over the promotions' order of creation. */
const CURSOR_TAG = 'p';

/** Every pipeline's promotions, newest first: `gantry history` without a pipeline. */
export interface PromotionFeedQuery {
  /** Only promotions into phases of this name (in any pipeline). */
  readonly phase?: string;
  readonly cursor?: string;
  /** 1..500; default 50. */
  readonly limit?: number;
}

export async function listAllPromotions(ctx: StoreContext, q: PromotionFeedQuery): Promise<Page<Promotion>> {
  const limit = clampLimit(q.limit);
  let query = ctx.db.selectFrom('promotions').selectAll();
  if (q.phase !== undefined) query = query.where('phase', '=', q.phase);
  if (q.cursor !== undefined) query = query.where('seq', '<', decodeCursor(CURSOR_TAG, q.cursor));
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();
  return toPage(CURSOR_TAG, rows, limit, toPromotion);
}
