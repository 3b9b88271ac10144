import type { Promotion } from '@gantry/store';
import { lostRace } from './errors.js';
import type { LifecycleOptions } from './ports.js';

/** Claims of one promotion after which recovery gives up retrying it (a promotion that kills its worker). */
export const MAX_ATTEMPTS = 3;

export interface Recovered {
  readonly succeeded: number;
  readonly failed: number;
  readonly retried: number;
}

/**
 * Settles promotions a dead process left unfinished, against what the remote holds: a
 * commit with the promotion's id means it succeeded; no commit puts it back in its place
 * in the queue (up to 3 claims), after which it fails as `interrupted`. Acts on a
 * snapshot: a transition another process made meanwhile wins (`stale_claim`).
 */
export async function recoverOrphans(o: LifecycleOptions, publish: (p: Promotion) => void): Promise<Recovered> {
  const { engine, store } = o;
  const settle = async (fn: () => Promise<Promotion>): Promise<boolean> => {
    try {
      publish(await fn());
      return true;
    } catch (e) {
      if (lostRace(e)) return false;
      throw e;
    }
  };
  let succeeded = 0;
  let failed = 0;
  let retried = 0;
  for (const p of await store.orphanedPromotions()) {
    const landed = await engine.findPromotion(p.pipeline, p.phase, p.id).catch(() => undefined);
    const by = { recovered: true, by: o.owner };
    if (landed) {
      const patch = { commitSha: landed.id, ifAttempt: p.attempts, detail: by };
      const ok = await settle(async () => {
        if (p.state === 'running') await store.transition(p.id, 'committed', patch);
        if (p.state !== 'pushed') await store.transition(p.id, 'pushed', patch);
        return store.transition(p.id, 'succeeded', patch);
      });
      if (ok) succeeded++;
    } else if (p.state !== 'pushed' && p.attempts < MAX_ATTEMPTS) {
      // nothing reached the remote: back to its place in the queue for any process to run
      const patch = { ifAttempt: p.attempts, detail: { ...by, retry: true } };
      if (await settle(() => store.transition(p.id, 'queued', patch))) retried++;
    } else {
      const error = {
        code: 'interrupted',
        message: `the server stopped ${p.attempts} time(s) before this promotion reached the remote; nothing was written; promote again`,
      };
      if (await settle(() => store.transition(p.id, 'failed', { error, ifAttempt: p.attempts, detail: by }))) failed++;
    }
  }
  if (succeeded + failed + retried > 0)
    o.logger.info({ succeeded, failed, retried }, 'recovered unfinished promotions');
  return { succeeded, failed, retried };
}
