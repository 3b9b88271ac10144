import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { GateOverridesTable } from './schema.js';
import type { StoreContext } from './store-context.js';

const isoTimestamp = z.iso.datetime();

/**
 * An admin's override of a window gate (a closed window or a freeze) in one phase, with a
 * reason: for one version (`digest`) or, without one, for any version of the phase, until
 * `expiresAt` or for good. The gates decide whether it counts (an admin's, not expired).
 */
export const gateOverrideSchema = z.object({
  id: z.string(),
  pipeline: z.string(),
  phase: z.string(),
  /** The window gate's name. */
  gate: z.string(),
  digest: z.string().optional(),
  /** The version as people read it, for lists (the digest decides). */
  version: z.string().optional(),
  actor: z.string(),
  role: z.string(),
  reason: z.string(),
  at: isoTimestamp,
  expiresAt: isoTimestamp.optional(),
});
export type GateOverride = z.infer<typeof gateOverrideSchema>;
export type NewGateOverride = Omit<GateOverride, 'id' | 'at'>;

/** Which overrides to list: of a pipeline (and phase), that may count for a digest, in force at an instant. */
export interface OverrideQuery {
  readonly pipeline?: string;
  readonly phase?: string;
  /** Only those for this digest or for any version. */
  readonly digest?: string;
  /** Only those not expired at this instant (ISO 8601). */
  readonly activeAt?: string;
}

/** Overrides of window gates by admins. */
export interface OverrideStore {
  recordOverride(o: NewGateOverride): Promise<GateOverride>;
  /** Overrides matching the query, oldest first. */
  listOverrides(q: OverrideQuery): Promise<GateOverride[]>;
}

const toOverride = (r: Selectable<GateOverridesTable>): GateOverride => ({
  id: r.id,
  pipeline: r.pipeline,
  phase: r.phase,
  gate: r.gate,
  ...(r.digest !== null ? { digest: r.digest } : {}),
  ...(r.version !== null ? { version: r.version } : {}),
  actor: r.actor,
  role: r.role,
  reason: r.reason,
  at: r.at,
  ...(r.expires_at !== null ? { expiresAt: r.expires_at } : {}),
});

/** Timestamps are compared as text, which needs one spelling: `Date#toISOString`'s. */
const canonical = (iso: string): string => new Date(iso).toISOString();

export function overrideStore(ctx: StoreContext): OverrideStore {
  return {
    async recordOverride(o) {
      const row = {
        id: randomUUID(),
        pipeline: o.pipeline,
        phase: o.phase,
        gate: o.gate,
        digest: o.digest ?? null,
        version: o.version ?? null,
        actor: o.actor,
        role: o.role,
        reason: o.reason,
        at: ctx.now().toISOString(),
        expires_at: o.expiresAt !== undefined ? canonical(o.expiresAt) : null,
      };
      await ctx.db.insertInto('gate_overrides').values(row).execute();
      return toOverride({ ...row, seq: 0 });
    },
    async listOverrides(q) {
      let query = ctx.db.selectFrom('gate_overrides').selectAll().orderBy('seq');
      if (q.pipeline !== undefined) query = query.where('pipeline', '=', q.pipeline);
      if (q.phase !== undefined) query = query.where('phase', '=', q.phase);
      const { digest, activeAt } = q;
      if (digest !== undefined)
        query = query.where((eb) => eb.or([eb('digest', 'is', null), eb('digest', '=', digest)]));
      if (activeAt !== undefined) {
        const at = canonical(activeAt);
        query = query.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]));
      }
      return (await query.execute()).map(toOverride);
    },
  };
}
