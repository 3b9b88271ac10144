import type { PromotionPlan } from '@gantry/core';
import { PromotionBlockedError } from '@gantry/core';
import type { Hold } from '@gantry/store';
import type { LifecycleOptions } from './ports.js';
import type { PromotionRequest } from './request.js';
import { actorOf } from './write-request.js';

type Deps = Pick<LifecycleOptions, 'engine' | 'store' | 'events'>;

/** Holds in force on a phase: its pin, and a pause of the phase or of its whole pipeline. */
export async function holdsOn(d: Deps, pipeline: string, phase: string): Promise<Hold[]> {
  return (await d.store.activeHolds(pipeline)).filter((h) => h.phase === undefined || h.phase === phase);
}

/** Why automation may not move this phase now, if a pin or a pause says so. */
export function describeHold(h: Hold): string {
  const where = h.phase === undefined ? `pipeline ${h.pipeline}` : `${h.pipeline}/${h.phase}`;
  return h.kind === 'pin'
    ? `${where} is pinned${h.digest ? ` at ${h.digest.slice(0, 19)}` : ''} by ${h.actor} (${h.reason}); release the pin to let automation move it`
    : `${where} is paused by ${h.actor} (${h.reason}); resume it to let automation move it`;
}

/**
 * Automation (policies, schedules, webhooks) never moves a pinned or paused phase; a person
 * still may. Throws PromotionBlockedError naming the hold.
 */
export async function refuseHeld(d: Deps, r: PromotionRequest): Promise<void> {
  if (r.trigger.kind === 'person') return;
  const [hold] = await holdsOn(d, r.pipeline, r.phase);
  if (hold) throw new PromotionBlockedError(describeHold(hold), { pipeline: r.pipeline, phase: r.phase, hold });
}

/**
 * A person's rollback, or release of anything other than the upstream's version, pins the
 * phase at it: automation leaves it there until someone releases the pin. A person moving
 * the phase to the upstream's version again releases it.
 */
export async function pinAfterManual(d: Deps, r: PromotionRequest, pl: PromotionPlan): Promise<Hold | undefined> {
  if (r.trigger.kind !== 'person' || pl.kind !== 'promote') return undefined;
  if (r.target === undefined && r.release === undefined && r.rollbackOf === undefined) {
    const released = await d.store.releaseHold({
      pipeline: pl.pipeline,
      phase: pl.phase,
      kind: 'pin',
      by: actorOf(r.trigger),
    });
    if (released) d.events?.publish({ type: 'hold', hold: released, change: 'released' });
    return undefined;
  }
  const natural = await d.engine.plan(pl.pipeline, pl.phase).catch(() => undefined);
  const upstream =
    natural?.kind === 'promote'
      ? natural.target.digest
      : natural?.kind === 'in-sync'
        ? natural.current.digest
        : undefined;
  if (upstream === pl.target.digest) return undefined;
  const pin = await d.store.setHold({
    pipeline: pl.pipeline,
    phase: pl.phase,
    kind: 'pin',
    actor: actorOf(r.trigger),
    // the person's note, when they gave one, says why the phase is held there
    reason: `${r.rollbackOf !== undefined ? 'rollback' : 'release'} to ${pl.target.version}${r.reason?.trim() ? `: ${pl.reason}` : ''}`,
    digest: pl.target.digest,
  });
  d.events?.publish({ type: 'hold', hold: pin, change: 'set' });
  return pin;
}
