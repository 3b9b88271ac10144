import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Approval, Hold, NewApproval, NewHold } from './gate-types.js';
import { toPromotion } from './rows.js';
import type { HoldsTable } from './schema.js';
import type { StoreContext } from './store-context.js';
import type { Promotion } from './types.js';

/** Approvals, pins and pauses, and the promotions gates keep waiting. */
export interface GateStore {
  recordApproval(a: NewApproval): Promise<Approval>;
  /** Decisions on one version entering one phase, oldest first. */
  listApprovals(pipeline: string, phase: string, digest: string): Promise<Approval[]>;
  /** Pins a phase or pauses a phase or pipeline; an active hold of the same kind there is replaced. */
  setHold(h: NewHold): Promise<Hold>;
  /** Releases the active hold of that kind; `undefined` when there was none. */
  releaseHold(q: { pipeline: string; phase?: string; kind: Hold['kind']; by: string }): Promise<Hold | undefined>;
  /** A hold by its id, in force or released. */
  getHold(id: string): Promise<Hold | undefined>;
  /** Holds in force, of one pipeline or of all. */
  activeHolds(pipeline?: string): Promise<Hold[]>;
  /** Promotions gates keep waiting, oldest first. */
  waitingPromotions(): Promise<Promotion[]>;
  /** Records the gates' verdicts as last evaluated. */
  setGates(id: string, verdicts: readonly Record<string, unknown>[]): Promise<Promotion>;
}

const toHold = (r: Selectable<HoldsTable>): Hold => ({
  id: r.id,
  pipeline: r.pipeline,
  ...(r.phase !== null ? { phase: r.phase } : {}),
  kind: r.kind as Hold['kind'],
  actor: r.actor,
  reason: r.reason,
  ...(r.digest !== null ? { digest: r.digest } : {}),
  at: r.at,
  ...(r.released_at !== null ? { releasedAt: r.released_at } : {}),
  ...(r.released_by !== null ? { releasedBy: r.released_by } : {}),
});

export function gateStore(ctx: StoreContext): GateStore {
  const now = () => ctx.now().toISOString();
  const releaseWhere = (pipeline: string, phase: string | undefined, kind: string) => {
    let q = ctx.db
      .updateTable('holds')
      .where('pipeline', '=', pipeline)
      .where('kind', '=', kind)
      .where('released_at', 'is', null);
    q = phase === undefined ? q.where('phase', 'is', null) : q.where('phase', '=', phase);
    return q;
  };
  return {
    async recordApproval(a) {
      const row = { id: randomUUID(), ...a, comment: a.comment ?? null, at: now() };
      await ctx.db.insertInto('approvals').values(row).execute();
      return { ...a, id: row.id, at: row.at };
    },
    async listApprovals(pipeline, phase, digest) {
      const rows = await ctx.db
        .selectFrom('approvals')
        .selectAll()
        .where('pipeline', '=', pipeline)
        .where('phase', '=', phase)
        .where('digest', '=', digest)
        .orderBy('seq')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        pipeline: r.pipeline,
        phase: r.phase,
        digest: r.digest,
        actor: r.actor,
        role: r.role,
        decision: r.decision as Approval['decision'],
        ...(r.comment !== null ? { comment: r.comment } : {}),
        at: r.at,
      }));
    },
    async setHold(h) {
      const at = now();
      await releaseWhere(h.pipeline, h.phase, h.kind).set({ released_at: at, released_by: h.actor }).execute();
      const row = {
        id: randomUUID(),
        pipeline: h.pipeline,
        phase: h.phase ?? null,
        kind: h.kind,
        actor: h.actor,
        reason: h.reason,
        digest: h.digest ?? null,
        at,
        released_at: null,
        released_by: null,
      };
      await ctx.db.insertInto('holds').values(row).execute();
      await ctx.changes.announce(ctx.db, { kind: 'hold', id: row.id, change: 'set', store: ctx.leases.id });
      return toHold({ ...row, seq: 0 });
    },
    async releaseHold({ pipeline, phase, kind, by }) {
      const row = await releaseWhere(pipeline, phase, kind)
        .set({ released_at: now(), released_by: by })
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      await ctx.changes.announce(ctx.db, { kind: 'hold', id: row.id, change: 'released', store: ctx.leases.id });
      return toHold(row);
    },
    async getHold(id) {
      const row = await ctx.db.selectFrom('holds').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toHold(row) : undefined;
    },
    async activeHolds(pipeline) {
      let q = ctx.db.selectFrom('holds').selectAll().where('released_at', 'is', null).orderBy('seq');
      if (pipeline !== undefined) q = q.where('pipeline', '=', pipeline);
      return (await q.execute()).map(toHold);
    },
    async waitingPromotions() {
      const rows = await ctx.db
        .selectFrom('promotions')
        .selectAll()
        .where('state', '=', 'waiting')
        .orderBy('seq')
        .execute();
      return rows.map(toPromotion);
    },
    async setGates(id, verdicts) {
      const row = await ctx.db
        .updateTable('promotions')
        .set({ gates: JSON.stringify(verdicts), updated_at: now() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPromotion(row);
    },
  };
}
