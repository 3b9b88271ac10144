import type { PromotionOutcome } from '@gantry/core';
import type { Promotion } from '@gantry/store';
import { errorOf, lostRace } from './errors.js';
import type { LifecycleOptions, PromotionResult } from './ports.js';
import { writeRequestOf } from './write-request.js';

export interface Execution {
  readonly result: PromotionResult;
  /** What the engine did, when this process got that far. */
  readonly outcome?: PromotionOutcome;
  /** The error the promotion failed with, as recorded. */
  readonly error?: { code: string; message: string };
  /** That error as thrown, for a CLI to report as it reports any other. */
  readonly thrown?: unknown;
}

/**
 * Runs a promotion this process has claimed: engine.promote (commit and push), then each
 * step recorded. Every transition is for this claim only (`ifAttempt`): if recovery
 * elsewhere judged it dead and another process claimed it, ours lose and stop.
 */
export async function executeClaimed(
  o: LifecycleOptions,
  p: Promotion,
  publish: (p: Promotion) => void,
  /** A proposal opened: earlier proposals of the phase (the same pull request) are superseded. */
  proposed?: (p: Promotion) => Promise<void>,
): Promise<Execution> {
  const { engine, store, logger } = o;
  publish(p);
  const started = performance.now();
  const claim = { ifAttempt: p.attempts };
  let execution: Execution = { result: 'failed' };
  try {
    o.crashPoint?.('after-claim');
    const outcome = await engine.promote(p.pipeline, p.phase, {
      ...writeRequestOf(o, p),
      onProgress: (e) => {
        if (e.type === 'written') o.crashPoint?.('after-push');
      },
    });
    if (outcome.kind === 'promoted') {
      const sha = outcome.revision.id;
      publish(
        await store.transition(p.id, 'committed', { ...claim, commitSha: sha, detail: { attempts: outcome.attempts } }),
      );
      o.crashPoint?.('after-commit-recorded');
      publish(await store.transition(p.id, 'pushed', { ...claim, commitSha: sha }));
      publish(await store.transition(p.id, 'succeeded', claim));
      execution = { result: 'succeeded', outcome };
    } else if (outcome.kind === 'proposed') {
      // the write is a pull request: the promotion waits in `proposed` until it is merged or closed
      const { proposal } = outcome;
      await store.recordProposal(p.id, { ...proposal });
      const open = await store.transition(p.id, 'proposed', {
        ...claim,
        detail: { proposal: proposal.number, url: proposal.url, headSha: outcome.revision.id },
      });
      publish(open);
      await proposed?.(open);
      execution = { result: 'proposed', outcome };
    } else {
      // the phase already held the version when the write reached it: nothing to commit
      publish(await store.transition(p.id, 'succeeded', { ...claim, detail: { noop: outcome.kind } }));
      execution = { result: 'noop', outcome };
    }
  } catch (e) {
    if (lostRace(e)) {
      execution = { result: 'settled-elsewhere' };
      logger.info({ promotion: p.id, err: errorOf(e) }, 'promotion settled by another worker; this attempt stops');
    } else {
      const error = errorOf(e);
      execution = { result: 'failed', error, thrown: e };
      logger.warn({ promotion: p.id, err: error }, 'promotion failed');
      try {
        publish(await store.transition(p.id, 'failed', { ...claim, error }));
      } catch (err) {
        if (!lostRace(err)) logger.error({ promotion: p.id, err: errorOf(err) }, 'recording the failure failed');
      }
    }
  } finally {
    o.metrics?.promotionFinished(p, execution.result, (performance.now() - started) / 1000);
    await o.afterPromotion?.(p).catch(() => undefined);
  }
  return execution;
}
