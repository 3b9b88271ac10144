import type {
  CheckResultRecord,
  DeployerEventRecord,
  NewDeployerEvent,
  PromotionDeployment,
  PromotionVerification,
} from './deployment-types.js';
import { batchedCommittedPromotions } from './committed-promotions.js';
import {
  listCheckResults,
  listDeployerEvents,
  recordCheckResult,
  recordDeployerEvent,
  setDeployment,
  setVerification,
  unfinishedVerifications,
} from './deployments.js';
import { InvalidCursorError } from './errors.js';
import type { DeliveryAttempt } from './notification-deliveries.js';
import { listDeliveries, recordDelivery, wasDelivered } from './notification-deliveries.js';
import type { StoreContext } from './store-context.js';
import type { Page, Promotion } from './types.js';

/** What happens after the push: deployer reports, deployment state, verification and its check results. */
export interface DeploymentStore {
  /** Records a deployer report once per idempotency key; `fresh: false` for a redelivery. */
  recordDeployerEvent(e: NewDeployerEvent): Promise<{ fresh: boolean; event: DeployerEventRecord }>;
  /** Newest first; `unmatched: true` for reports no phase claimed. `cursor`: a previous page's `nextCursor`. */
  listDeployerEvents(q: { unmatched?: boolean; limit?: number; cursor?: string }): Promise<Page<DeployerEventRecord>>;
  /**
   * Succeeded promotions of the phase that wrote a commit, newest first (at most `limit`, 20).
   * Questions asked in one turn of the event loop share one query.
   */
  committedPromotions(pipeline: string, phase: string, limit?: number): Promise<Promotion[]>;
  setDeployment(id: string, deployment: PromotionDeployment): Promise<Promotion>;
  /** Compare-and-set on the run: `undefined` when a newer run has started meanwhile. */
  setVerification(id: string, verification: PromotionVerification): Promise<Promotion | undefined>;
  recordCheckResult(r: Omit<CheckResultRecord, 'recordedAt'>): Promise<CheckResultRecord>;
  listCheckResults(promotionId: string): Promise<CheckResultRecord[]>;
  /** Verifications left running by a process that died. */
  unfinishedVerifications(): Promise<Promotion[]>;
  /** Records one notification attempt (the notifier's delivery log). */
  recordDelivery(attempt: DeliveryAttempt): Promise<void>;
  wasDelivered(idempotencyKey: string): Promise<boolean>;
  listDeliveries(promotionId: string): Promise<DeliveryAttempt[]>;
}

export function deploymentStore(ctx: StoreContext): DeploymentStore {
  const committedPromotions = batchedCommittedPromotions(ctx);
  return {
    recordDeployerEvent: (e) => recordDeployerEvent(ctx, e),
    listDeployerEvents: ({ cursor, ...q }) => {
      const before = cursor === undefined ? undefined : Number(cursor);
      if (before !== undefined && !Number.isSafeInteger(before))
        return Promise.reject(new InvalidCursorError(cursor ?? ''));
      return listDeployerEvents(ctx, { ...q, ...(before !== undefined ? { before } : {}) });
    },
    committedPromotions,
    setDeployment: (id, d) => setDeployment(ctx, id, d),
    setVerification: (id, v) => setVerification(ctx, id, v),
    recordCheckResult: (r) => recordCheckResult(ctx, r),
    listCheckResults: (id) => listCheckResults(ctx, id),
    unfinishedVerifications: () => unfinishedVerifications(ctx),
    recordDelivery: (a) => recordDelivery(ctx, a),
    wasDelivered: (key) => wasDelivered(ctx, key),
    listDeliveries: (id) => listDeliveries(ctx, id),
  };
}
