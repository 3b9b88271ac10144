import type { Logger } from '@gantry/core';
import type { Lifecycle, LifecycleOptions } from '@gantry/lifecycle';
import { createLifecycle } from '@gantry/lifecycle';
import type { Store } from '@gantry/store';
import type { Engine } from '@gantry/core';
import { crashPoint } from './crash-point.js';
import type { EventBus } from './events.js';
import type { Metrics } from './metrics.js';
import type { StateCache } from './state-cache.js';

export type { PromotionRequest, RequestOutcome } from '@gantry/lifecycle';

/** The server's promotions: the shared lifecycle, running its workers in the background. */
export type PromotionService = Lifecycle;

export interface PromotionServiceOptions {
  readonly engine: Engine;
  readonly store: Store;
  readonly bus: EventBus;
  readonly state: StateCache;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** This replica's name, recorded on claims. */
  readonly owner: string;
  /** Promotions of different phases this process runs at once. */
  readonly concurrency?: number;
  /** Commit ancestry in a phase's repository, for deployer reports on later commits. */
  readonly ancestry?: LifecycleOptions['ancestry'];
  /** A promotion's verification ended: auto-promotion downstream may go on. */
  readonly onVerification?: LifecycleOptions['onVerification'];
  /** Where command checks run (the configuration's directory). */
  readonly workDir?: string;
  /** Signature and attestation checks for signature gates. */
  readonly signatures?: LifecycleOptions['signatures'];
  /** Where a version was built from, for commit and branch gates. */
  readonly sourceFacts?: LifecycleOptions['sourceFacts'];
  /** The time gates are judged at and soak periods are measured with (tests move it). */
  readonly clock?: LifecycleOptions['clock'];
  /** Pull request providers, for phases with `write: proposal`. */
  readonly proposals?: LifecycleOptions['proposals'];
  /** A promotion's dashboard page, linked from its pull request. */
  readonly promotionUrl?: LifecycleOptions['promotionUrl'];
  /** The source commits of a proposal's versions, for its body. */
  readonly proposalCommits?: LifecycleOptions['proposalCommits'];
}

/** Wires the lifecycle to the server: its event bus, Prometheus metrics, and a re-read of the pipeline after each promotion. */
export function createPromotionService(o: PromotionServiceOptions): PromotionService {
  return createLifecycle({
    engine: o.engine,
    store: o.store,
    logger: o.logger,
    owner: o.owner,
    events: o.bus,
    background: true,
    crashPoint,
    ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
    metrics: {
      promotionFinished(p, result, seconds) {
        o.metrics.promotions.inc({ pipeline: p.pipeline, phase: p.phase, result });
        o.metrics.promotionSeconds.observe({ pipeline: p.pipeline, phase: p.phase }, seconds);
      },
    },
    ...(o.ancestry ? { ancestry: o.ancestry } : {}),
    ...(o.onVerification ? { onVerification: o.onVerification } : {}),
    ...(o.workDir ? { checkDeps: { workDir: o.workDir } } : {}),
    ...(o.signatures ? { signatures: o.signatures } : {}),
    ...(o.sourceFacts ? { sourceFacts: o.sourceFacts } : {}),
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.proposals ? { proposals: o.proposals } : {}),
    ...(o.promotionUrl ? { promotionUrl: o.promotionUrl } : {}),
    ...(o.proposalCommits ? { proposalCommits: o.proposalCommits } : {}),
    afterPromotion: async (p) => {
      await o.state.refresh([p.pipeline]);
    },
  });
}
