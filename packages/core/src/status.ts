import type { Duration } from './duration.js';
import type { Labels } from './pipeline.js';
import type { Resource } from './resource.js';
import type { Revision } from './source.js';

/** Where a phase stands relative to its upstreams. */
export type PhaseState =
  /** A phase with no upstream: versions enter here. */
  | 'source'
  /** Holds the same version as its upstream(s). */
  | 'in-sync'
  /** Its upstream holds a version it does not have yet. */
  | 'behind'
  /** Holds no version yet. */
  | 'empty'
  /** The source could not be read; see `error`. */
  | 'error';

export interface UpstreamComparison {
  readonly phase: string;
  readonly digest?: string;
  readonly version?: string;
  readonly inSync: boolean;
}

export interface PhaseStatus<R extends Resource = Resource> {
  readonly pipeline: string;
  readonly phase: string;
  readonly labels: Labels;
  readonly source: string;
  readonly writable: boolean;
  readonly state: PhaseState;
  readonly resource?: R;
  readonly digest?: string;
  readonly version?: string;
  /** The revision that set the current version (the commit, for Git). */
  readonly setBy?: Revision;
  readonly age?: Duration;
  readonly upstreams: readonly UpstreamComparison[];
  readonly error?: { readonly code: string; readonly message: string };
}

export interface PipelineStatus {
  readonly pipeline: string;
  readonly labels: Labels;
  readonly phases: readonly PhaseStatus[];
}
