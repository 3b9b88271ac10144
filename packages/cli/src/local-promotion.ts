import { userInfo } from 'node:os';
import type { Identity, PromotionOutcome, PromotionPlan, VersionSpec } from '@gantry/core';
import type { Runtime } from '@gantry/config';
import type { Promotion } from '@gantry/store';
import { localLifecycleOn } from './local-gate-facts.js';
import { openRuntimeStore } from './runtime-store.js';

// where it has always been imported from
export { openRuntimeStore };

/** What a local promotion asks for. */
export interface LocalRequest {
  readonly pipeline: string;
  readonly phase: string;
  readonly author?: Identity;
  readonly reason?: string;
  /** An explicit version as the resource (`release --branch`/`--artifact`). */
  readonly target?: unknown;
  /** A version named by tag/version or digest (`release --version`/`--digest`). */
  readonly release?: VersionSpec;
  /** The earlier promotion whose version a rollback restores. */
  readonly rollbackOf?: string;
}

/** What the recorded promotion came to: the same shapes a server answers (`release`, `rollback`). */
export type RecordedOutcome =
  | { readonly kind: 'in-sync'; readonly plan: PromotionPlan }
  /** Waiting for its gates, or (remote, not followed) queued. */
  | { readonly kind: 'queued'; readonly plan: PromotionPlan; readonly promotion: Promotion }
  | { readonly kind: 'settled'; readonly plan: PromotionPlan; readonly promotion: Promotion };

/** A promotion its phase's gates keep waiting (approvals, soak, a window): recorded, not run. */
export interface WaitingOutcome {
  readonly kind: 'waiting';
  readonly plan: PromotionPlan;
  readonly promotion: Promotion;
}

/**
 * A local `gantry promote`: the same lifecycle a server runs, recorded in the same store,
 * so `gantry history`, the dashboard and `gantry track` see it. This process runs its own
 * promotion; if a server on the data directory claimed it first, this waits for that one.
 */
export function promoteLocally(rt: Runtime, request: LocalRequest): Promise<PromotionOutcome> {
  return runLocally(rt, request, false) as Promise<PromotionOutcome>;
}

/**
 * `promoteLocally`, except that a promotion its phase's gates keep waiting is answered at once
 * (`waiting`, recorded for `gantry approve` and the gates' next judgement) instead of waited for.
 */
export function requestLocally(rt: Runtime, request: LocalRequest): Promise<PromotionOutcome | WaitingOutcome> {
  return runLocally(rt, request, true);
}

/** The fields of a request the lifecycle takes, from a local one. */
function asked(request: LocalRequest) {
  const actor = request.author?.email ?? userInfo().username;
  return {
    pipeline: request.pipeline,
    phase: request.phase,
    trigger: { kind: 'person' as const, actor, ...(request.author ? { author: request.author } : {}) },
    ...(request.reason ? { reason: request.reason } : {}),
    ...(request.target !== undefined ? { target: request.target } : {}),
    ...(request.release !== undefined ? { release: request.release } : {}),
    ...(request.rollbackOf !== undefined ? { rollbackOf: request.rollbackOf } : {}),
  };
}

/**
 * A local release or rollback: requested and run as `promoteLocally` runs a promotion, and
 * answered with the promotion as recorded (waiting on its gates, or settled), as a server
 * answers it; a failed promotion is `settled` in state `failed`, not thrown.
 */
export async function recordLocally(rt: Runtime, request: LocalRequest): Promise<RecordedOutcome> {
  const store = await openRuntimeStore(rt);
  try {
    const lifecycle = localLifecycleOn(rt, store);
    const outcome = await lifecycle.request(asked(request));
    if (outcome.kind === 'in-sync') return { kind: 'in-sync', plan: outcome.plan };
    if (outcome.promotion.state === 'waiting')
      return { kind: 'queued', plan: outcome.plan, promotion: outcome.promotion };
    const own = await lifecycle.runOwn(outcome.promotion.id);
    await lifecycle.idle();
    const promotion = (await store.getPromotion(outcome.promotion.id)) ?? own.promotion;
    return { kind: 'settled', plan: outcome.plan, promotion };
  } finally {
    await store.close();
  }
}

async function runLocally(
  rt: Runtime,
  request: LocalRequest,
  answerWaiting: boolean,
): Promise<PromotionOutcome | WaitingOutcome> {
  const store = await openRuntimeStore(rt);
  try {
    const lifecycle = localLifecycleOn(rt, store);
    const requested = await lifecycle.request(asked(request));
    if (requested.kind === 'in-sync') return { kind: 'in-sync', plan: requested.plan };
    if (answerWaiting && requested.promotion.state === 'waiting')
      return { kind: 'waiting', plan: requested.plan, promotion: requested.promotion };
    const own = await lifecycle.runOwn(requested.promotion.id);
    // a phase verified by checks alone runs them now: this process records their verdict before it ends
    await lifecycle.idle();
    const execution = own.execution;
    if (execution?.thrown !== undefined) throw execution.thrown;
    if (execution?.outcome) return execution.outcome;
    // another process ran it: report what it recorded
    const p = own.promotion;
    if (p.state !== 'succeeded' || !p.commitSha) {
      throw new Error(`promotion ${p.id} ended ${p.state}${p.error ? `: ${p.error.message}` : ''}`);
    }
    return {
      kind: 'promoted',
      plan: requested.plan,
      promotionId: p.id,
      revision: { id: p.commitSha },
      attempts: p.attempts,
    };
  } finally {
    await store.close();
  }
}
