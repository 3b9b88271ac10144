import type { Phase, PromotionPlan } from '@gantry/core';
import { findPhase, findPipeline, GantryError, hasVerification } from '@gantry/core';
import type {
  Gate,
  GateFacts,
  GatesSummary,
  GateVerdict,
  OverrideRecord,
  SignatureRecord,
  UpstreamFacts,
} from '@gantry/gates';
import { evaluateGates, summarize } from '@gantry/gates';
import type { Promotion, Trigger } from '@gantry/store';
import type { LifecycleOptions } from './ports.js';

/** Every gate's verdict for one version entering one phase, and what they add up to. */
export interface GateEvaluation {
  readonly verdicts: readonly GateVerdict[];
  readonly summary: GatesSummary;
}

/** A version the gates will not let in as things are (a rejection, a branch rule, no ticket). */
export class GatesBlockedError extends GantryError {
  readonly verdicts: readonly GateVerdict[];
  constructor(pipeline: string, phase: string, e: GateEvaluation) {
    const why = e.verdicts
      .filter((v) => v.outcome === 'block')
      .map((v) => `${v.gate}: ${v.reason}${v.unblock ? ` (to unblock: ${v.unblock})` : ''}`)
      .join('; ');
    super('promotion_blocked', `${pipeline}/${phase}: ${why}`, { pipeline, phase, gates: e.verdicts });
    this.verdicts = e.verdicts;
  }
}

type Deps = Pick<LifecycleOptions, 'engine' | 'store' | 'clock' | 'signatures' | 'sourceFacts'>;

const requesterOf = (t: Trigger): string =>
  t.kind === 'person' ? t.actor : t.kind === 'policy' ? 'policy' : t.kind === 'schedule' ? 'schedule' : 'webhook';

/** The version's verification in each upstream of the phase, as recorded. */
async function upstreamFacts(d: Deps, pipeline: string, phase: Phase, digest: string): Promise<UpstreamFacts[]> {
  const p = findPipeline(d.engine.system, pipeline);
  return Promise.all(
    phase.promotesFrom.map(async (name): Promise<UpstreamFacts> => {
      const upstream = findPhase(p, name);
      // a source phase (a registry tag) holds versions without promotions: nothing to verify there
      if (upstream.promotesFrom.length === 0) return { phase: name, state: 'verified', digest };
      const promoted = (await d.store.committedPromotions(pipeline, name)).find((x) => x.toDigest === digest);
      if (!promoted) return { phase: name, state: 'absent', digest };
      if (!hasVerification(upstream)) return { phase: name, state: 'verified', verifiedAt: promoted.updatedAt, digest };
      const v = promoted.verification;
      return {
        phase: name,
        state: v?.state ?? 'pending',
        ...(v?.state === 'verified' ? { verifiedAt: v.at } : {}),
        ...(v?.reason ? { reason: v.reason } : {}),
        digest,
      };
    }),
  );
}

/** Overrides of the phase's window gates that may count for this digest now (the gates check role and gate). */
async function overrideFacts(
  d: Deps,
  q: { pipeline: string; phase: string; digest: string },
  now: Date,
): Promise<OverrideRecord[]> {
  const recorded = await d.store.listOverrides({
    pipeline: q.pipeline,
    phase: q.phase,
    digest: q.digest,
    activeAt: now.toISOString(),
  });
  return recorded.map((o) => ({
    gate: o.gate,
    by: o.actor,
    role: o.role,
    at: o.at,
    reason: o.reason,
    ...(o.digest !== undefined ? { digest: o.digest } : {}),
    ...(o.expiresAt !== undefined ? { expiresAt: o.expiresAt } : {}),
  }));
}

/**
 * Gathers what the phase's gates are judged on (effectful: the store, signature checks, the
 * version's source commit), then evaluates them purely. No gates: passes at once, reading nothing.
 */
export async function evaluatePhaseGates(
  d: Deps,
  q: { pipeline: string; phase: string; digest: string; version: string; trigger: Trigger; resource?: unknown },
): Promise<GateEvaluation> {
  const phase = findPhase(findPipeline(d.engine.system, q.pipeline), q.phase);
  const gates = (phase.gates ?? []) as unknown as readonly Gate[];
  if (gates.length === 0) return { verdicts: [], summary: summarize([]) };
  const needs = new Set(gates.map((g) => g.kind));
  const now = (d.clock ?? (() => new Date()))();
  const [upstreams, approvals, signatures, overrides, source] = await Promise.all([
    needs.has('soak') ? upstreamFacts(d, q.pipeline, phase, q.digest) : undefined,
    needs.has('approval') ? d.store.listApprovals(q.pipeline, q.phase, q.digest) : undefined,
    needs.has('signature') && d.signatures
      ? d.signatures({ pipeline: q.pipeline, phase: q.phase, digest: q.digest, resource: q.resource, gates })
      : undefined,
    needs.has('window') ? overrideFacts(d, q, now) : undefined,
    (needs.has('commit') || needs.has('branch')) && d.sourceFacts
      ? d.sourceFacts({ pipeline: q.pipeline, phase: q.phase, digest: q.digest, resource: q.resource })
      : undefined,
  ]);
  const facts: GateFacts = {
    now,
    request: { trigger: q.trigger.kind, requester: requesterOf(q.trigger) },
    version: { digest: q.digest, version: q.version, ...(source ? { source } : {}) },
    ...(overrides ? { overrides } : {}),
    ...(upstreams ? { upstreams } : {}),
    ...(approvals
      ? {
          approvals: approvals.map((a) => ({
            by: a.actor,
            role: a.role,
            at: a.at,
            decision: a.decision,
            digest: a.digest,
            ...(a.comment ? { comment: a.comment } : {}),
          })),
        }
      : {}),
    ...(signatures ? { signatures: signatures as readonly SignatureRecord[] } : {}),
  };
  const verdicts = evaluateGates(gates, facts);
  return { verdicts, summary: summarize(verdicts) };
}

/** The gates of a promotion plan's version, for `gantry why` and the promotion itself. */
export function gatesOfPlan(d: Deps, pl: PromotionPlan, trigger: Trigger): Promise<GateEvaluation> | undefined {
  if (pl.kind !== 'promote') return undefined;
  return evaluatePhaseGates(d, {
    pipeline: pl.pipeline,
    phase: pl.phase,
    digest: pl.target.digest,
    version: pl.target.version,
    trigger,
    resource: pl.target.resource,
  });
}

/** Evaluates a waiting promotion's gates again, as things are now. */
export function gatesOfPromotion(d: Deps, p: Promotion): Promise<GateEvaluation> {
  return evaluatePhaseGates(d, {
    pipeline: p.pipeline,
    phase: p.phase,
    digest: p.toDigest,
    version: p.toVersion,
    trigger: p.trigger,
    resource: p.target,
  });
}
