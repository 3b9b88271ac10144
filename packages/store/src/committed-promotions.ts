import { sql } from 'kysely';
import { committedPromotions } from './deployments.js';
import { toPromotion } from './rows.js';
import type { StoreContext } from './store-context.js';
import type { Promotion } from './types.js';

/** One phase whose committed promotions are asked for. */
export interface PhaseKey {
  readonly pipeline: string;
  readonly phase: string;
}

const keyOf = (p: PhaseKey) => `${p.pipeline}\0${p.phase}`;
/** Pipelines per query: far below every driver's limit on bound parameters. */
const CHUNK = 500;

/**
 * The newest `limit` succeeded promotions that wrote a commit, newest first, of each of many
 * phases: one query per 500 pipelines, where asking phase by phase cost one query each.
 */
export async function committedPromotionsOf(
  ctx: StoreContext,
  phases: readonly PhaseKey[],
  limit = 20,
): Promise<Map<string, Promotion[]>> {
  const out = new Map<string, Promotion[]>(phases.map((p) => [keyOf(p), []]));
  const pipelines = [...new Set(phases.map((p) => p.pipeline))];
  for (let i = 0; i < pipelines.length; i += CHUNK) {
    const rows = await ctx.db
      .selectFrom((db) =>
        db
          .selectFrom('promotions')
          .selectAll()
          .select(sql<number>`row_number() over (partition by pipeline, phase order by seq desc)`.as('newness'))
          .where('pipeline', 'in', pipelines.slice(i, i + CHUNK))
          .where('state', '=', 'succeeded')
          .where('commit_sha', 'is not', null)
          .as('ranked'),
      )
      .selectAll()
      .where('newness', '<=', limit)
      .orderBy('seq', 'desc')
      .execute();
    for (const r of rows) out.get(keyOf(r))?.push(toPromotion(r));
  }
  return out;
}

interface Asked extends PhaseKey {
  readonly limit: number;
  readonly resolve: (p: Promotion[]) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * `committedPromotions`, with the questions asked in one turn of the event loop answered by one
 * query: a fleet's first observation looks up the promotion behind every phase's version at
 * once (20,000 phases were 20,000 queries). A question asked alone is the single-phase query.
 */
export function batchedCommittedPromotions(
  ctx: StoreContext,
): (pipeline: string, phase: string, limit?: number) => Promise<Promotion[]> {
  let queue: Asked[] = [];
  const flush = async () => {
    const batch = queue;
    queue = [];
    const byLimit = new Map<number, Asked[]>();
    for (const a of batch) {
      const same = byLimit.get(a.limit);
      if (same) same.push(a);
      else byLimit.set(a.limit, [a]);
    }
    for (const [limit, asked] of byLimit) {
      try {
        if (asked.length === 1) {
          const [only] = asked as [Asked];
          only.resolve(await committedPromotions(ctx, only.pipeline, only.phase, limit));
          continue;
        }
        const found = await committedPromotionsOf(ctx, asked, limit);
        // each caller its own array: callers may sort or filter what they get
        for (const a of asked) a.resolve([...(found.get(keyOf(a)) ?? [])]);
      } catch (e) {
        for (const a of asked) a.reject(e);
      }
    }
  };
  return (pipeline, phase, limit = 20) =>
    new Promise((resolve, reject) => {
      if (queue.length === 0) setImmediate(() => void flush());
      queue.push({ pipeline, phase, limit, resolve, reject });
    });
}
