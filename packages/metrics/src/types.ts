/**
 * One deployment as the metrics see it: a promotion that succeeded with a commit (it changed
 * the phase), with what happened to it afterwards. Plain data, as the store reads it.
 */
export interface DeploymentRecord {
  readonly pipeline: string;
  readonly phase: string;
  /** Insertion order: orders deployments that succeeded at the same instant. */
  readonly seq: number;
  /** The version, by digest: a rollback is told by the digest it goes back to. */
  readonly digest: string;
  /** When the promotion succeeded (its commit reached the config repository), ISO 8601. */
  readonly deployedAt: string;
  /** Recorded as a rollback (a person rolled the phase back to an earlier promotion's version). */
  readonly rollback?: boolean;
  /** The deployer's last word on it (Flux, Argo CD). */
  readonly deployment?: { readonly state: string; readonly at: string };
  /** Its verification's last verdict. */
  readonly verification?: { readonly state: string; readonly at: string };
}

/** Where a version's source commit time came from, most trusted first. */
export type SourceTimeOrigin = 'artifact' | 'image' | 'first-seen';

/** When the change a version carries was made, and how that is known. */
export interface SourceTime {
  readonly at: string;
  /**
   * `artifact`: the commit time CI reported; `image`: the image's OCI labels; `first-seen`: the
   * version's first promotion in the pipeline (Gantry saw it at the source then), a lower bound.
   */
  readonly from: SourceTimeOrigin;
}

/**
 * The deployments of one phase column by column, as a store reads them in one pass: index `i`
 * of every array describes one deployment (a `DeploymentRecord` with its version's source time).
 * Any order.
 */
export interface PhaseDeployments {
  readonly pipeline: string;
  readonly phase: string;
  readonly seq: readonly number[];
  readonly digest: readonly string[];
  /** ISO 8601. */
  readonly deployedAt: readonly string[];
  /** Truthy where recorded as a rollback. */
  readonly rollback: readonly (number | boolean | null)[];
  /** The deployer's last word: state and time, both or neither. */
  readonly deploymentState: readonly (string | null)[];
  readonly deploymentAt: readonly (string | null)[];
  /** The verification's last verdict: state and time, both or neither. */
  readonly verificationState: readonly (string | null)[];
  readonly verificationAt: readonly (string | null)[];
  /** When the version's change was made (`SourceTime.at`), null when unknown. */
  readonly sourceAt: readonly (string | null)[];
  readonly sourceFrom: readonly (SourceTimeOrigin | null)[];
}

/** The period [from, to) and how to compute over it. */
interface MetricsOptions {
  readonly from: Date;
  readonly to: Date;
  /**
   * Whether the phase verifies what it receives (a deployer reports on it, or checks prove it).
   * Where it does not, a deployment counts as landed when it succeeded. Default: every phase does.
   */
  readonly verifies?: (pipeline: string, phase: string) => boolean;
  /** A time series for each phase too (the total always has one). */
  readonly seriesPerPhase?: boolean;
  /** Series bucket (default: `day` up to 92 days, else `week`). */
  readonly bucket?: Bucket;
}

/**
 * What to compute over: a period [from, to) and the history around it, either as records with
 * a lookup of source times, or column by column per phase (`phases`). Either way: every
 * deployment of the phases in scope from `from` on (also after `to`, which tell whether one in
 * the period was rolled back or restored), and each phase's last one before `from` (which
 * version a rollback goes back to); earlier ones change nothing.
 */
export type MetricsInput = MetricsOptions &
  (
    | {
        readonly deployments: readonly DeploymentRecord[];
        readonly sourceTime: (pipeline: string, digest: string) => SourceTime | undefined;
      }
    | { readonly phases: readonly PhaseDeployments[] }
  );

export type Bucket = 'day' | 'week';

/** Why a deployment counts as failed; one deployment may have several causes. */
export interface FailureCauses {
  /** Its verification failed. */
  readonly verification: number;
  /** Its deployer reported it failed or degraded. */
  readonly deployment: number;
  /** The next deployment of the phase rolled it back. */
  readonly rollback: number;
}

/** The four figures, for one phase or a total. Times in seconds; `null` where there is no sample. */
export interface Figures {
  readonly deploymentFrequency: {
    /** Deployments in the period. */
    readonly count: number;
    readonly perDay: number;
    readonly perWeek: number;
  };
  readonly leadTime: {
    /** Deployments in the period that landed (verified) and whose source time is known. */
    readonly samples: number;
    readonly medianSeconds: number | null;
    readonly p90Seconds: number | null;
    /** How many samples took their source time from where. */
    readonly sources: Readonly<Record<SourceTimeOrigin, number>>;
  };
  readonly changeFailureRate: {
    readonly failures: number;
    readonly deployments: number;
    /** failures / deployments; 0 without deployments. */
    readonly rate: number;
    readonly causes: FailureCauses;
  };
  readonly timeToRestore: {
    /** Failures of the period restored by a later verified version. */
    readonly samples: number;
    readonly medianSeconds: number | null;
    /** Failures not restored yet. */
    readonly open: number;
  };
}

/** One bucket of a series: what the deployments made in it came to. */
export interface SeriesPoint {
  /** The bucket's start, ISO 8601; buckets run from the period's start, each a day or a week (the last may be short). */
  readonly start: string;
  readonly deployments: number;
  readonly failures: number;
  readonly leadTimeMedianSeconds: number | null;
  readonly timeToRestoreMedianSeconds: number | null;
}

export interface PhaseMetrics extends Figures {
  readonly pipeline: string;
  readonly phase: string;
  readonly series?: readonly SeriesPoint[];
}

/** The answer: the period, the total over every phase in scope, and each phase with a deployment. */
export interface DeliveryMetrics {
  readonly period: { readonly from: string; readonly to: string; readonly days: number; readonly bucket: Bucket };
  readonly total: Figures & { readonly series: readonly SeriesPoint[] };
  /** Phases with at least one deployment in the period, by pipeline then phase. */
  readonly phases: readonly PhaseMetrics[];
}
