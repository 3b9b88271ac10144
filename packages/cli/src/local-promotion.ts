import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Identity, PromotionOutcome, PromotionPlan } from '@gantry/core';
import type { Runtime } from '@gantry/config';
import { createLifecycle } from '@gantry/lifecycle';
import type { Promotion } from '@gantry/store';
import { openStore } from '@gantry/store';

/** The store a server on this configuration uses: `server.databaseUrl`, or SQLite in the data directory. */
export function openRuntimeStore(rt: Runtime) {
  const url = rt.loaded.config.server?.databaseUrl;
  return openStore({
    ...(url ? { databaseUrl: url } : {}),
    sqlitePath: join(rt.dataDir, 'gantry.db'),
    logger: rt.logger,
  });
}

/** What a local promotion asks for. */
export interface LocalRequest {
  readonly pipeline: string;
  readonly phase: string;
  readonly author?: Identity;
  readonly reason?: string;
}

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

async function runLocally(
  rt: Runtime,
  request: LocalRequest,
  answerWaiting: boolean,
): Promise<PromotionOutcome | WaitingOutcome> {
  const store = await openRuntimeStore(rt);
  try {
    const actor = request.author?.email ?? userInfo().username;
    const lifecycle = createLifecycle({
      engine: rt.engine,
      store,
      logger: rt.logger,
      owner: `cli-${hostname()}-${process.pid}`,
    });
    const asked = await lifecycle.request({
      pipeline: request.pipeline,
      phase: request.phase,
      trigger: { kind: 'person', actor, ...(request.author ? { author: request.author } : {}) },
      ...(request.reason ? { reason: request.reason } : {}),
    });
    if (asked.kind === 'in-sync') return { kind: 'in-sync', plan: asked.plan };
    if (answerWaiting && asked.promotion.state === 'waiting')
      return { kind: 'waiting', plan: asked.plan, promotion: asked.promotion };
    const own = await lifecycle.runOwn(asked.promotion.id);
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
      plan: asked.plan,
      promotionId: p.id,
      revision: { id: p.commitSha },
      attempts: p.attempts,
    };
  } finally {
    await store.close();
  }
}
