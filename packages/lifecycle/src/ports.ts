import type { CheckDeps } from '@gantry/checks';
import type { Engine, Logger, ProposalCommitsLookup, ProposalProviders } from '@gantry/core';
import type { SourceCommitFacts } from '@gantry/gates';
import type { Hold, Promotion, Store } from '@gantry/store';

/** What the lifecycle needs of the store: promotions, their claims and their history. */
export type LifecycleStore = Pick<
  Store,
  | 'createPromotion'
  | 'transition'
  | 'getPromotion'
  | 'listPromotions'
  | 'claimNextQueued'
  | 'claimPromotion'
  | 'supersedeQueued'
  | 'orphanedPromotions'
  | 'recordDeployerEvent'
  | 'committedPromotions'
  | 'setDeployment'
  | 'setVerification'
  | 'recordCheckResult'
  | 'unfinishedVerifications'
  | 'activeHolds'
  | 'setHold'
  | 'releaseHold'
  | 'listApprovals'
  | 'recordApproval'
  | 'waitingPromotions'
  | 'setGates'
  | 'recordOverride'
  | 'listOverrides'
  | 'recordProposal'
  | 'updateProposal'
  | 'openProposals'
  | 'openProposalByNumber'
>;

/**
 * Every step of a promotion's life, as it is recorded; and each pin or pause set or
 * released (a person's rollback pins the phase, promoting the upstream's version releases it).
 */
export type LifecycleEvent =
  | { readonly type: 'promotion'; readonly promotion: Promotion }
  | { readonly type: 'hold'; readonly hold: Hold; readonly change: HoldChange };

/** `set`: a pin or pause is in force (it replaced any earlier one of its kind there); `released`: it no longer is. */
export type HoldChange = 'set' | 'released';

/** Where recorded steps go (the server's event bus; nowhere for a CLI command). */
export interface EventSink {
  publish(event: LifecycleEvent): void;
}

/** How a finished promotion is counted (Prometheus on the server). */
export interface LifecycleMetrics {
  promotionFinished(p: Promotion, result: PromotionResult, seconds: number): void;
}

/** How one execution of a promotion ended, for metrics and logs. */
export type PromotionResult = 'succeeded' | 'proposed' | 'noop' | 'failed' | 'settled-elsewhere';

export interface LifecycleOptions {
  readonly engine: Engine;
  readonly store: LifecycleStore;
  readonly logger: Logger;
  /** This process's name, recorded on its claims. */
  readonly owner: string;
  readonly events?: EventSink;
  readonly metrics?: LifecycleMetrics;
  /** Called after each promotion this process ran has settled (the server re-reads the pipeline). */
  readonly afterPromotion?: (p: Promotion) => Promise<void>;
  /** Promotions of different phases this process runs at once (default 8). */
  readonly concurrency?: number;
  /**
   * Look for claimable work on a timer and settle what dead processes left (a server).
   * Off for a CLI command, which runs only its own promotion.
   */
  readonly background?: boolean;
  /**
   * Whether `ancestor` is `descendant` or one of its ancestors in the phase's repository
   * (a deployer reporting a later commit settles every promotion it contains).
   */
  readonly ancestry?: (pipeline: string, phase: string, ancestor: string, descendant: string) => Promise<boolean>;
  /** Called when a deployer report changed a promotion's deployment state. */
  readonly onDeployment?: (p: Promotion) => void;
  /** Called when a promotion's verification ended (verified or failed): policies react. */
  readonly onVerification?: (p: Promotion) => void;
  /** Time, for records and soak periods (tests move it). */
  readonly clock?: () => Date;
  /** Passed to every check (working directory, fetch, sleep). */
  readonly checkDeps?: Omit<CheckDeps, 'signal'>;
  /**
   * Checks signatures and attestations of a version for a phase's signature gates (the
   * server wires @gantry/signatures against its registries); results are gate facts.
   */
  readonly signatures?: (q: {
    pipeline: string;
    phase: string;
    digest: string;
    resource: unknown;
    gates: readonly unknown[];
  }) => Promise<readonly unknown[]>;
  /**
   * Where a version was built from (commit, message, author, committer, branch), for commit
   * and branch gates: the image's labels and annotations, or a CI report (the server wires
   * its suppliers). Undefined: nobody knows, and those gates block saying so. Throws when a
   * supplier could not be asked (a registry down): the promotion is held, never let through.
   */
  readonly sourceFacts?: (q: {
    pipeline: string;
    phase: string;
    digest: string;
    resource: unknown;
  }) => Promise<SourceCommitFacts | undefined>;
  /** The pull request providers of the repositories (phases with `write: proposal`), for polling and closing. */
  readonly proposals?: ProposalProviders;
  /** The dashboard page of a promotion, linked from its pull request's body. */
  readonly promotionUrl?: (p: Promotion) => string | undefined;
  /** The source commits of a proposal's two versions (CI's artifact reports), for its body. */
  readonly proposalCommits?: ProposalCommitsLookup;
  /** Test hook: called at named points of a promotion, to crash there. */
  readonly crashPoint?: (name: 'after-claim' | 'after-push' | 'after-commit-recorded') => void;
}
