import type { Engine, Logger } from '@gantry/core';
import type { Store } from '@gantry/store';
import type { ArtifactReports } from './artifact-reports.js';
import type { ProvenanceSources } from './chain-read.js';
import type { Principal, PermissionRule } from './auth.js';
import type { EventBus } from './events.js';
import type { Metrics } from './metrics.js';
import type { PromotionService } from './promotion-service.js';
import type { Reconciler } from './reconciler.js';
import type { StateCache } from './state-cache.js';
import type { WebhookHandler } from './webhooks/handler.js';

/** Everything the routes use; built once by `startServer`, or by a test. */
export interface ServerDeps {
  readonly engine: Engine;
  readonly store: Store;
  readonly state: StateCache;
  readonly promotions: PromotionService;
  readonly bus: EventBus;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly permissions: readonly PermissionRule[];
  /** No token exists: everyone is admin, and the server listens on loopback only. */
  readonly open: boolean;
  readonly webhooks: WebhookHandler;
  /**
   * Reads pipelines and requests the auto-promotions that are due: releasing a pin or a pause
   * runs it for the pipeline at once. Absent (an app built by a test or a bench): a released
   * phase moves at the next schedule or webhook.
   */
  readonly reconciler?: Pick<Reconciler, 'reconcile'>;
  /** The time the lifecycle judges gates at (tests move it); default the wall clock. */
  readonly clock?: () => Date;
  /**
   * CI artifact reports, checked against the runtime's registries. Absent (an app built by a
   * test or a bench): reports are recorded, each unverified (no registry to ask).
   */
  readonly artifacts?: ArtifactReports;
  /**
   * Where chains and lineage read image labels, Git history and link templates. Absent (an app
   * built by a test): from the store and the state cache alone, without links.
   */
  readonly provenance?: ProvenanceSources;
  /** True once the first state refresh and crash recovery are done. */
  ready(): boolean;
}

export type AppEnv = { Variables: { principal: Principal } };
