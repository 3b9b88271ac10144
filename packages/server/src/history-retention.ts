import type { Logger } from '@gantry/core';
import type { PurgedHistory, Store } from '@gantry/store';

export interface HistoryRetentionOptions {
  readonly store: Pick<Store, 'purgeHistory' | 'tryAcquireLeadership'>;
  /** `server.history.retention`: history older than this is deleted. */
  readonly retentionMs: number;
  readonly logger: Logger;
  /** How often to look (default 6 h); the first look is at start. */
  readonly everyMs?: number;
  readonly clock?: () => Date;
}

export interface HistoryRetention {
  /** One purge now (a replica that does not lead purges nothing): what it removed. */
  run(): Promise<PurgedHistory | undefined>;
  /** Stops looking; resolves once a purge under way is done. */
  close(): Promise<void>;
}

/**
 * Deletes history older than the retention, at start and then every `everyMs`, on one replica
 * (the leader of `history-retention`). Only started when `server.history.retention` is set:
 * by default Gantry keeps its history.
 */
export function startHistoryRetention(o: HistoryRetentionOptions): HistoryRetention {
  const now = o.clock ?? (() => new Date());
  const run = async (): Promise<PurgedHistory | undefined> => {
    if (!(await o.store.tryAcquireLeadership('history-retention'))) return undefined;
    const before = new Date(now().getTime() - o.retentionMs).toISOString();
    const purged = await o.store.purgeHistory(before);
    if (purged.promotions > 0 || purged.deployerEvents > 0) o.logger.info({ before, ...purged }, 'history purged');
    return purged;
  };
  let last: Promise<unknown> = Promise.resolve();
  const safely = () => {
    last = run().catch((e: unknown) => o.logger.warn({ err: String(e) }, 'purging old history failed'));
  };
  safely();
  const timer = setInterval(safely, o.everyMs ?? 6 * 3_600_000);
  timer.unref?.();
  return {
    run,
    async close() {
      clearInterval(timer);
      await last;
    },
  };
}
