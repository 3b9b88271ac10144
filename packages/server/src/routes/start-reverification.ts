import type { Promotion } from '@gantry/store';
import type { ServerDeps } from '../context.js';

/**
 * Starts a new verification run of `p` and resolves with the promotion as recorded once the
 * run has started (`running`, the next run number), without waiting for its checks: the
 * lifecycle publishes that record on the event bus before it runs anything. Should the run
 * end before (or never start, a newer run having taken its place) the promotion is read back.
 */
export async function startReverification(deps: Pick<ServerDeps, 'bus' | 'promotions' | 'store'>, p: Promotion) {
  const run = (p.verification?.run ?? 0) + 1;
  let unsubscribe = () => {};
  const started = new Promise<Promotion>((resolve) => {
    unsubscribe = deps.bus.subscribe((e) => {
      if (e.type === 'promotion' && e.promotion.id === p.id && (e.promotion.verification?.run ?? 0) >= run)
        resolve(e.promotion);
    });
  });
  try {
    const finished = deps.promotions.reverify(p.id);
    return await Promise.race([
      started,
      finished.then(async (done) => done ?? (await deps.store.getPromotion(p.id)) ?? p),
    ]);
  } finally {
    unsubscribe();
  }
}
