import type { DeployerEventRecord } from './deployment-types.js';
import { toEvent as deployerEventOf } from './deployments.js';
import { toEvent, toPromotion } from './rows.js';
import type { StoreContext } from './store-context.js';
import type { Promotion, PromotionWithEvents } from './types.js';

/** A promotion that landed (its commit reached the remote), and when. */
export interface LandedPromotion {
  readonly promotion: Promotion;
  /** When it succeeded: its version entered the phase then. */
  readonly landedAt: string;
}

/** What a version's chain and a pipeline's lineage are assembled from (see @gantry/server chain and lineage). */
export interface ProvenanceStore {
  /**
   * The promotions of a phase to one version, by digest or by version name, newest first,
   * each with its state changes. At most `limit` (default 20).
   */
  promotionsOfVersion(q: {
    pipeline: string;
    phase: string;
    digest?: string;
    version?: string;
    limit?: number;
  }): Promise<PromotionWithEvents[]>;
  /** Deployer reports naming any of `commits` (full SHAs), oldest first; only those matched to `phase` (`pipeline/phase`) when given. */
  deployerEventsOfCommits(commits: readonly string[], phase?: string): Promise<DeployerEventRecord[]>;
  /** A pipeline's promotions that landed, oldest first, with when: the newest `limit` (default 1,000). */
  landedPromotions(pipeline: string, limit?: number): Promise<LandedPromotion[]>;
}

export function provenanceStore(ctx: StoreContext): ProvenanceStore {
  return {
    async promotionsOfVersion(q) {
      let query = ctx.db
        .selectFrom('promotions')
        .selectAll()
        .where('pipeline', '=', q.pipeline)
        .where('phase', '=', q.phase);
      if (q.digest !== undefined) query = query.where('to_digest', '=', q.digest);
      if (q.version !== undefined) query = query.where('to_version', '=', q.version);
      const rows = await query
        .orderBy('seq', 'desc')
        .limit(Math.min(Math.max(q.limit ?? 20, 1), 500))
        .execute();
      if (rows.length === 0) return [];
      const events = await ctx.db
        .selectFrom('promotion_events')
        .selectAll()
        .where(
          'promotion_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('seq')
        .execute();
      return rows.map((r) => ({
        ...toPromotion(r),
        events: events.filter((e) => e.promotion_id === r.id).map(toEvent),
      }));
    },
    async deployerEventsOfCommits(commits, phase) {
      if (commits.length === 0) return [];
      const rows = await ctx.db
        .selectFrom('deployer_events')
        .selectAll()
        .where('commit_sha', 'in', [...new Set(commits)])
        .orderBy('seq')
        .limit(1000)
        .execute();
      const events = rows.map(deployerEventOf);
      return phase === undefined ? events : events.filter((e) => e.matched.includes(phase));
    },
    async landedPromotions(pipeline, limit = 1000) {
      const rows = await ctx.db
        .selectFrom('promotions')
        .innerJoin('promotion_events', 'promotion_events.promotion_id', 'promotions.id')
        .selectAll('promotions')
        .select('promotion_events.at as landed_at')
        .where('promotions.pipeline', '=', pipeline)
        .where('promotions.state', '=', 'succeeded')
        .where('promotion_events.state', '=', 'succeeded')
        .orderBy('promotions.seq', 'desc')
        .limit(Math.min(Math.max(limit, 1), 10_000))
        .execute();
      return rows.reverse().map((r) => ({ promotion: toPromotion(r), landedAt: r.landed_at }));
    },
  };
}
