import type { PromotionPlan, VersionSpec } from '@gantry/core';
import { findPhase, findPipeline, GantryError, PromotionBlockedError, readingFreshSince } from '@gantry/core';
import type { NewPromotion, Promotion, Trigger } from '@gantry/store';
import { UNFINISHED_STATES } from '@gantry/store';
import { GatesBlockedError, gatesOfPlan } from './gates.js';
import { pinAfterManual, refuseHeld } from './holds.js';
import { actorOf } from './write-request.js';
import type { LifecycleOptions } from './ports.js';

export interface PromotionRequest {
  readonly pipeline: string;
  readonly phase: string;
  /** An explicit version (release) as JSON of the pipeline's resource type. */
  readonly target?: unknown;
  /** Roll back to the version an earlier promotion wrote (a new forward commit). */
  readonly rollbackOf?: string;
  /**
   * A release of a version named by its tag/version or digest, resolved where the phase
   * takes versions from (instead of `target`, which names the whole resource).
   */
  readonly release?: VersionSpec;
  readonly trigger: Trigger;
  readonly reason?: string;
}

export type RequestOutcome =
  | { readonly kind: 'queued'; readonly promotion: Promotion; readonly plan: PromotionPlan }
  | { readonly kind: 'in-sync'; readonly plan: PromotionPlan };

/** No earlier promotion of this phase to roll back to. */
export class RollbackNotFoundError extends GantryError {
  constructor(id: string, pipeline: string, phase: string) {
    super('not_found', `no promotion ${id} of ${pipeline}/${phase} to roll back to`, { id, pipeline, phase });
  }
}

type Deps = Pick<LifecycleOptions, 'engine' | 'store' | 'clock' | 'signatures' | 'events'>;

/** What a request is planned with: the explicit version, if any, and the words of the commit. */
interface Resolved {
  readonly target?: unknown;
  readonly reason?: string;
  readonly rollbackOf?: string;
}

async function resolveTarget(d: Deps, r: Omit<PromotionRequest, 'trigger'>): Promise<Resolved> {
  const reason = r.reason?.trim() ? { reason: r.reason } : {};
  if (r.rollbackOf === undefined) {
    if (r.release !== undefined) {
      return { target: await d.engine.resolveVersion(r.pipeline, r.phase, r.release), ...reason };
    }
    return { target: r.target, ...reason };
  }
  const earlier = await d.store.getPromotion(r.rollbackOf);
  if (!earlier || earlier.pipeline !== r.pipeline || earlier.phase !== r.phase) {
    throw new RollbackNotFoundError(r.rollbackOf, r.pipeline, r.phase);
  }
  return {
    target: earlier.target,
    reason: r.reason?.trim() ? r.reason : `rollback to ${earlier.toVersion} (promotion ${earlier.id})`,
    rollbackOf: earlier.id,
  };
}

async function planResolved(
  d: Deps,
  r: Omit<PromotionRequest, 'trigger'> & { readonly trigger?: Trigger },
  x: Resolved,
): Promise<PromotionPlan> {
  return d.engine.plan(r.pipeline, r.phase, {
    ...(x.target !== undefined ? { target: x.target } : {}),
    ...(x.reason ? { reason: x.reason } : {}),
    ...(r.trigger ? { actor: actorOf(r.trigger) } : {}),
    ...(x.rollbackOf !== undefined ? { rollbackOf: x.rollbackOf } : {}),
  });
}

/**
 * The plan, with "already there" confirmed on Git as it is now: a plan read from a cached tip
 * may be stale news, and a person asking (a promotion, its preview, why) is answered about now.
 */
async function planNow(
  d: Deps,
  r: Omit<PromotionRequest, 'trigger'> & { readonly trigger?: Trigger },
  x: Resolved,
  asked: number,
): Promise<PromotionPlan> {
  const pl = await planResolved(d, r, x);
  return pl.kind === 'in-sync' ? readingFreshSince(asked, () => planResolved(d, r, x)) : pl;
}

/**
 * The plan a request would run: the diff preview (and why's), computed exactly as the promotion
 * will be (with the trigger, the commit's `Gantry-Actor` too), and as freshly.
 */
export async function planRequest(
  d: Deps,
  r: Omit<PromotionRequest, 'trigger'> & { readonly trigger?: Trigger },
): Promise<PromotionPlan> {
  const asked = Date.now();
  return planNow(d, r, await resolveTarget(d, r), asked);
}

/** An unfinished promotion of the phase to exactly this version, if one is queued or running. */
async function unfinishedTo(d: Deps, pipeline: string, phase: string, digest: string) {
  const recent = await d.store.listPromotions({ pipeline, phase, limit: 20 });
  return recent.items.find((p) => UNFINISHED_STATES.includes(p.state) && p.toDigest === digest);
}

/**
 * Plans and records a queued promotion. A version already queued or running for the phase
 * answers with that promotion (a webhook and a schedule, two clicks: one promotion); older
 * queued ones are superseded unless the phase queues. Callers serialize per phase.
 */
export async function recordRequest(
  d: Deps,
  r: PromotionRequest,
  publish: (p: Promotion) => void,
): Promise<RequestOutcome> {
  const phase = findPhase(findPipeline(d.engine.system, r.pipeline), r.phase);
  await refuseHeld(d, r);
  const asked = Date.now();
  const resolved = await resolveTarget(d, r);
  // automation (schedules, webhooks, policies) over a fleet of phases in sync reads what is cached
  const pl = r.trigger.kind === 'person' ? await planNow(d, r, resolved, asked) : await planResolved(d, r, resolved);
  if (pl.kind === 'blocked') throw new PromotionBlockedError(pl.reason, { pipeline: pl.pipeline, phase: pl.phase });
  if (pl.kind === 'in-sync') return { kind: 'in-sync', plan: pl };
  const existing = await unfinishedTo(d, pl.pipeline, pl.phase, pl.target.digest);
  if (existing) return { kind: 'queued', promotion: existing, plan: pl };
  // every gate judged for this version: one that blocks refuses it, one that waits records it waiting
  const gates = await gatesOfPlan(d, pl, r.trigger);
  if (gates?.summary.outcome === 'block') throw new GatesBlockedError(pl.pipeline, pl.phase, gates);
  const promotion = await d.store.createPromotion({
    pipeline: pl.pipeline,
    phase: pl.phase,
    ...(pl.from !== undefined ? { fromPhase: pl.from } : {}),
    ...(pl.current ? { fromDigest: pl.current.digest, fromVersion: pl.current.version } : {}),
    toDigest: pl.target.digest,
    toVersion: pl.target.version,
    target: pl.target.resource as unknown as NewPromotion['target'],
    // a rollback is recorded as one: history, the dashboard and the commit (`Gantry-Reverts`) say what it reverts
    trigger:
      resolved.rollbackOf !== undefined && r.trigger.kind === 'person'
        ? { ...r.trigger, rollbackOf: resolved.rollbackOf }
        : r.trigger,
    reason: pl.reason,
    ...(gates && gates.verdicts.length > 0
      ? { waiting: gates.summary.outcome === 'wait', gates: gates.verdicts as unknown as Record<string, unknown>[] }
      : {}),
  });
  publish(promotion);
  await pinAfterManual(d, r, pl);
  if (phase.queue === 'supersede') {
    for (const id of await d.store.supersedeQueued(pl.pipeline, pl.phase, promotion.id)) {
      const superseded = await d.store.getPromotion(id);
      if (superseded) publish(superseded);
    }
  }
  return { kind: 'queued', promotion, plan: pl };
}
