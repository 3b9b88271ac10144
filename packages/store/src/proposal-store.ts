import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { ProposalsTable } from './proposal-schema.js';
import { toPromotion } from './rows.js';
import type { Db, StoreContext } from './store-context.js';
import type { ProposalChecks, Promotion, PromotionProposal } from './types.js';
import { proposalChecksSchema } from './types.js';
import { writeTransaction } from './write-transaction.js';

/** A promotion's pull request as stored: what reads show, and what polling needs (its ETag). */
export interface StoredProposal extends PromotionProposal {
  readonly promotionId: string;
  readonly baseBranch: string;
  readonly etag?: string;
}

/** What a pull request's record is set to: the provider's view of it. */
export interface ProposalInput {
  readonly provider: 'github' | 'gitlab';
  readonly repository: string;
  readonly number: number;
  readonly url: string;
  readonly state: PromotionProposal['state'];
  readonly headBranch: string;
  readonly headSha: string;
  readonly baseBranch: string;
  readonly mergedCommit?: string;
}

/** A promotion with its open pull request. */
export interface OpenProposal {
  readonly promotion: Promotion;
  readonly proposal: StoredProposal;
}

export interface ProposalStore {
  /**
   * Records the pull request a promotion opened or updated. Older promotions whose record is
   * the same open pull request are marked `superseded` there (their state is the lifecycle's).
   */
  recordProposal(promotionId: string, input: ProposalInput): Promise<StoredProposal>;
  /** Changes the record of a promotion's pull request (merged, closed, a new ETag). */
  updateProposal(
    promotionId: string,
    patch: {
      state?: PromotionProposal['state'];
      mergedCommit?: string;
      etag?: string | null;
      checks?: ProposalChecks;
    },
  ): Promise<StoredProposal | undefined>;
  /** Promotions in `proposed` with their open pull request, oldest first. */
  openProposals(): Promise<OpenProposal[]>;
  /** The promotion (in `proposed`) whose open pull request this is, if any. */
  openProposalByNumber(provider: string, repository: string, number: number): Promise<OpenProposal | undefined>;
}

const checksOf = (text: string | null): ProposalChecks | undefined => {
  if (text === null) return undefined;
  const parsed = proposalChecksSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
};

function toStored(r: Selectable<ProposalsTable>): StoredProposal {
  const checks = checksOf(r.checks);
  return {
    promotionId: r.promotion_id,
    provider: r.provider as 'github' | 'gitlab',
    repository: r.repository,
    number: r.number,
    url: r.url,
    state: r.state as PromotionProposal['state'],
    headBranch: r.head_branch,
    headSha: r.head_sha,
    baseBranch: r.base_branch,
    ...(r.merged_commit !== null ? { mergedCommit: r.merged_commit } : {}),
    ...(r.etag !== null ? { etag: r.etag } : {}),
    ...(checks ? { checks } : {}),
  };
}

/** What the promotion's own column shows. */
const shown = (p: StoredProposal): PromotionProposal => ({
  provider: p.provider,
  repository: p.repository,
  number: p.number,
  url: p.url,
  state: p.state,
  headBranch: p.headBranch,
  headSha: p.headSha,
  ...(p.mergedCommit !== undefined ? { mergedCommit: p.mergedCommit } : {}),
  ...(p.checks !== undefined ? { checks: p.checks } : {}),
});

async function show(db: Db, p: StoredProposal, at: string) {
  await db
    .updateTable('promotions')
    .set({ proposal: JSON.stringify(shown(p)), updated_at: at })
    .where('id', '=', p.promotionId)
    .execute();
}

export function proposalStore(ctx: StoreContext): ProposalStore {
  const withPromotions = (db: Db) =>
    db
      .selectFrom('proposals')
      .innerJoin('promotions', 'promotions.id', 'proposals.promotion_id')
      .selectAll('proposals')
      .select((eb) => eb.ref('promotions.seq').as('promotion_seq'))
      .where('promotions.state', '=', 'proposed')
      .where('proposals.state', '=', 'open');
  const attach = async (rows: Array<Selectable<ProposalsTable>>): Promise<OpenProposal[]> => {
    if (rows.length === 0) return [];
    const promotions = await ctx.db
      .selectFrom('promotions')
      .selectAll()
      .where(
        'id',
        'in',
        rows.map((r) => r.promotion_id),
      )
      .execute();
    const byId = new Map(promotions.map((p) => [p.id, toPromotion(p)]));
    return rows.flatMap((r) => {
      const promotion = byId.get(r.promotion_id);
      return promotion ? [{ promotion, proposal: toStored(r) }] : [];
    });
  };
  return {
    async recordProposal(promotionId, input) {
      const at = ctx.now().toISOString();
      return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
        const older = await trx
          .updateTable('proposals')
          .set({ state: 'superseded', updated_at: at })
          .where('provider', '=', input.provider)
          .where('repository', '=', input.repository)
          .where('number', '=', input.number)
          .where('state', '=', 'open')
          .where('promotion_id', '!=', promotionId)
          .returningAll()
          .execute();
        for (const r of older) await show(trx, toStored(r), at);
        const values = {
          provider: input.provider,
          repository: input.repository,
          number: input.number,
          url: input.url,
          state: input.state,
          head_branch: input.headBranch,
          head_sha: input.headSha,
          base_branch: input.baseBranch,
          merged_commit: input.mergedCommit ?? null,
          updated_at: at,
        };
        const row = await trx
          .insertInto('proposals')
          .values({ promotion_id: promotionId, ...values, etag: null, checks: null, created_at: at })
          .onConflict((oc) => oc.column('promotion_id').doUpdateSet({ ...values, etag: null, checks: null }))
          .returningAll()
          .executeTakeFirstOrThrow();
        const stored = toStored(row);
        await show(trx, stored, at);
        return stored;
      });
    },
    async updateProposal(promotionId, patch) {
      const at = ctx.now().toISOString();
      return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
        const row = await trx
          .updateTable('proposals')
          .set({
            updated_at: at,
            ...(patch.state !== undefined ? { state: patch.state } : {}),
            ...(patch.mergedCommit !== undefined ? { merged_commit: patch.mergedCommit } : {}),
            ...(patch.etag !== undefined ? { etag: patch.etag } : {}),
            ...(patch.checks !== undefined ? { checks: JSON.stringify(patch.checks) } : {}),
          })
          .where('promotion_id', '=', promotionId)
          .returningAll()
          .executeTakeFirst();
        if (!row) return undefined;
        const stored = toStored(row);
        // an ETag alone changes nothing a reader sees
        if (patch.state !== undefined || patch.mergedCommit !== undefined || patch.checks !== undefined)
          await show(trx, stored, at);
        return stored;
      });
    },
    async openProposals() {
      const rows = await withPromotions(ctx.db).orderBy('promotion_seq').execute();
      return attach(rows);
    },
    async openProposalByNumber(provider, repository, number) {
      const rows = await withPromotions(ctx.db)
        .where('proposals.provider', '=', provider)
        // GitHub's names are case-insensitive: a webhook may spell the repository otherwise
        .where(sql<string>`lower(proposals.repository)`, '=', repository.toLowerCase())
        .where('proposals.number', '=', number)
        .orderBy('promotion_seq', 'desc')
        .limit(1)
        .execute();
      return (await attach(rows))[0];
    },
  };
}
