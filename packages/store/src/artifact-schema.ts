import type { Generated } from 'kysely';

/** One artifact CI reported: an image by digest or a chart by version (migration 0008_artifacts). */
export interface ArtifactsTable {
  seq: Generated<number>;
  id: string;
  /** Unique: `image:<digest>` or `chart:<chart>@<version>`; a report of the same artifact merges into its row. */
  key: string;
  /** image | chart */
  kind: string;
  image: string | null;
  digest: string | null;
  chart: string | null;
  version: string | null;
  source_repository: string | null;
  commit_sha: string | null;
  branch: string | null;
  author_name: string | null;
  author_email: string | null;
  commit_message: string | null;
  commit_time: string | null;
  /** JSON array of the source fields read from the image's OCI labels rather than reported. */
  labelled: string;
  ci_run_url: string | null;
  ci_provider: string | null;
  /** JSON array of pipeline names (also in artifact_pipelines, for lookups). */
  pipelines: string;
  /** verified | unverified: whether the registry holds the digest (or chart version). */
  verified: string;
  unverified_reason: string | null;
  reported_at: string;
  reported_by: string;
  updated_at: string;
}

/** Which pipelines an artifact concerns, with its branch: `release --branch` finds the newest here. */
export interface ArtifactPipelinesTable {
  artifact_seq: number;
  pipeline: string;
  branch: string | null;
}

/** A step of the CI run that built an artifact; one row per artifact and step name. */
export interface ArtifactStepsTable {
  seq: Generated<number>;
  artifact_id: string;
  name: string;
  /** running | succeeded | failed | skipped */
  status: string;
  duration_ms: number | null;
  url: string | null;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}
