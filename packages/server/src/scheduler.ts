import type { Logger, System } from '@gantry/core';
import { parseDuration } from '@gantry/core';
import type { Store } from '@gantry/store';
import { Cron } from 'croner';
import type { Reconciler } from './reconciler.js';
import { selectPhases } from './selector.js';

export type Schedule =
  | { readonly select: string; readonly every: string }
  | { readonly select: string; readonly cron: string };

/** Reconcile everything every minute when gantry.yaml names no schedule. */
export const DEFAULT_SCHEDULES: readonly Schedule[] = [{ select: '*', every: '1m' }];

export interface Scheduler {
  stop(): void;
}

const LEADERSHIP = 'gantry-scheduler';

/**
 * Runs the schedules. With replicas on PostgreSQL only the leader (advisory lock) runs
 * them; another replica takes over when the leader's connection dies.
 */
export function startScheduler(o: {
  system: System;
  store: Store;
  reconciler: Reconciler;
  schedules: readonly Schedule[];
  logger: Logger;
}): Scheduler {
  const stops: Array<() => void> = [];
  for (const schedule of o.schedules) {
    const pipelines = [...new Set(selectPhases(o.system.pipelines, schedule.select).map((p) => p.pipeline))];
    const name =
      'every' in schedule ? `every ${schedule.every}: ${schedule.select}` : `cron ${schedule.cron}: ${schedule.select}`;
    if (pipelines.length === 0) {
      o.logger.warn({ schedule: name }, 'schedule selects no phase');
      continue;
    }
    const tick = async () => {
      try {
        if (!(await o.store.tryAcquireLeadership(LEADERSHIP))) return;
        await o.reconciler.request(pipelines, { kind: 'schedule', schedule: name });
      } catch (e) {
        o.logger.warn({ schedule: name, err: (e as Error).message }, 'scheduled reconcile failed');
      }
    };
    if ('every' in schedule) {
      const timer = setInterval(tick, parseDuration(schedule.every).ms);
      timer.unref();
      stops.push(() => clearInterval(timer));
    } else {
      const job = new Cron(schedule.cron, { protect: true, unref: true }, tick);
      stops.push(() => job.stop());
    }
  }
  return {
    stop() {
      for (const s of stops) s();
    },
  };
}
