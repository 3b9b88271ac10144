import type { DeliveryHistory, DeliveryHistoryQuery } from './delivery-history.js';
import { deliveryHistory } from './delivery-history.js';
import type { PurgedHistory } from './history-retention.js';
import { purgeHistory } from './history-retention.js';
import type { StoreContext } from './store-context.js';

/** Recorded history as a whole: what delivery metrics read, and its retention. */
export interface HistoryStore {
  /** The deployments delivery metrics are computed from (see @gantry/metrics), from `from` on. */
  deliveryHistory(q: DeliveryHistoryQuery): Promise<DeliveryHistory>;
  /** Deletes settled history created before `before` (ISO 8601); each phase keeps its last success. */
  purgeHistory(before: string): Promise<PurgedHistory>;
}

export function historyStore(ctx: StoreContext): HistoryStore {
  return {
    deliveryHistory: (q) => deliveryHistory(ctx, q),
    purgeHistory: (before) => purgeHistory(ctx, before),
  };
}
