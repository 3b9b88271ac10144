import { GantryError } from '@gantry/core';
import type { Approval, Promotion } from '@gantry/store';
import { PromotionNotFoundError } from '@gantry/store';
import { lostRace } from './errors.js';
import { gatesOfPromotion } from './gates.js';
import { holdsOn } from './holds.js';
import type { LifecycleOptions } from './ports.js';

/** A decision on a promotion that no longer waits for one. */
export class NotWaitingError extends GantryError {
  constructor(p: Promotion) {
    super('promotion_not_waiting', `promotion ${p.id} is ${p.state}: it waits for no decision`, {
      promotion: p.id,
      state: p.state,
    });
  }
}

type Deps = Pick<LifecycleOptions, 'engine' | 'store' | 'clock' | 'signatures' | 'logger'>;

/**
 * Judges a waiting promotion's gates again, as things are now: all pass -> queued (the
 * caller kicks the workers); one blocks for good (a rejection) -> failed with the verdicts;
 * still waiting -> the verdicts refreshed. Returns the promotion as recorded.
 */
export async function reconsider(d: Deps, p: Promotion, publish: (p: Promotion) => void): Promise<Promotion> {
  const e = await gatesOfPromotion(d, p);
  let now = await d.store.setGates(p.id, e.verdicts as unknown as Record<string, unknown>[]);
  // automation waits out a pin or a pause, even once its gates pass; a person's request does not
  const held = p.trigger.kind !== 'person' && (await holdsOn(d, p.pipeline, p.phase)).length > 0;
  try {
    if (e.summary.outcome === 'pass' && !held)
      now = await d.store.transition(p.id, 'queued', { detail: { gates: 'pass' } });
    else if (e.summary.outcome === 'block')
      now = await d.store.transition(p.id, 'failed', {
        error: { code: 'promotion_blocked', message: e.summary.reason },
        detail: { gates: 'block' },
      });
  } catch (err) {
    // another process decided it first
    if (!lostRace(err)) throw err;
    now = (await d.store.getPromotion(p.id)) ?? now;
  }
  publish(now);
  return now;
}

/** Every waiting promotion judged again; true when one was queued. */
export async function reconsiderAll(d: Deps, publish: (p: Promotion) => void): Promise<boolean> {
  let queued = false;
  for (const p of await d.store.waitingPromotions()) {
    const now = await reconsider(d, p, publish).catch((e: unknown) => {
      d.logger.warn({ promotion: p.id, err: String(e) }, 'judging a waiting promotion failed');
      return p;
    });
    if (now.state === 'queued') queued = true;
  }
  return queued;
}

/** An approval or rejection by a person, for the one version the promotion carries. */
export async function decide(
  d: Deps & Pick<LifecycleOptions, 'store'>,
  q: { id: string; actor: string; role: string; decision: Approval['decision']; comment?: string },
  publish: (p: Promotion) => void,
): Promise<Promotion> {
  const p = await d.store.getPromotion(q.id);
  if (!p) throw new PromotionNotFoundError(q.id);
  if (p.state !== 'waiting') throw new NotWaitingError(p);
  await d.store.recordApproval({
    pipeline: p.pipeline,
    phase: p.phase,
    digest: p.toDigest,
    actor: q.actor,
    role: q.role,
    decision: q.decision,
    ...(q.comment ? { comment: q.comment } : {}),
  });
  return reconsider(d, p, publish);
}
