import type { System } from '@gantry/core';
import { findPhase, findPipeline, hasVerification } from '@gantry/core';
import type { CheckResultRecord, Store } from '@gantry/store';
import type { Clock } from './clock.js';
import type { PromotionMatch, TrackSource } from './source.js';
import { matchesPromotion } from './source.js';
import type { CheckStep } from './steps.js';

/** How often a local track reads the store again: no server streams changes without one. */
export const LOCAL_POLL_MS = 500;

/** How many of a phase's newest promotions `track <pipeline> <phase> --digest` looks through. */
const FIND_LIMIT = 200;

export interface LocalSource extends TrackSource {
  /** Something in this process changed a promotion (a local `gantry verify` running checks): read now. */
  wake(): void;
}

/**
 * The data directory's store (or the configured PostgreSQL), read directly. Without a server
 * nothing streams its changes, so it is read again every `pollMs`, and at once after `wake()`.
 */
export function localSource(store: Store, system: System, clock: Clock, pollMs = LOCAL_POLL_MS): LocalSource {
  let woken = false;
  let wakeWaiter: (() => void) | undefined;
  return {
    async open() {},
    read: (id) => store.getPromotion(id),
    async find(pipeline, phase, match: PromotionMatch) {
      findPhase(findPipeline(system, pipeline), phase);
      const page = await store.listPromotions({ pipeline, phase, limit: FIND_LIMIT });
      const found = page.items.find((p) => matchesPromotion(p, match));
      return found ? store.getPromotion(found.id) : undefined;
    },
    async checks(id, run) {
      return (await store.listCheckResults(id)).filter((r) => r.run === run).map(checkStepOf);
    },
    async hasVerification(pipeline, phase) {
      return hasVerification(findPhase(findPipeline(system, pipeline), phase));
    },
    async changed(signal) {
      if (woken) {
        woken = false;
        return [];
      }
      const wait = new AbortController();
      const stop = () => wait.abort();
      signal.addEventListener('abort', stop, { once: true });
      wakeWaiter = stop;
      try {
        await clock.sleep(pollMs, wait.signal);
      } finally {
        wakeWaiter = undefined;
        woken = false;
        signal.removeEventListener('abort', stop);
      }
      return [];
    },
    wake() {
      woken = true;
      wakeWaiter?.();
    },
    async close() {},
  };
}

/** A stored check result as `track` prints it (the checks package's result, kept as JSON). */
export function checkStepOf(r: Pick<CheckResultRecord, 'name' | 'result' | 'recordedAt'>): CheckStep {
  const status = r.result.status === 'passed' ? 'passed' : 'failed';
  const reason = typeof r.result.reason === 'string' ? r.result.reason : '';
  const at = typeof r.result.finishedAt === 'string' ? r.result.finishedAt : r.recordedAt;
  return { name: r.name, status, reason, at };
}
