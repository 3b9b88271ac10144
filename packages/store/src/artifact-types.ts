import { z } from 'zod';

const isoTimestamp = z.iso.datetime({ offset: true });

/** How far a CI step got: `running` until it ends in one of the other three. */
export const artifactStepStatusSchema = z.enum(['running', 'succeeded', 'failed', 'skipped']);
export type ArtifactStepStatus = z.infer<typeof artifactStepStatusSchema>;

/** One step of the CI run that built an artifact (build, test, scan...). */
export const artifactStepSchema = z.object({
  name: z.string().min(1),
  status: artifactStepStatusSchema,
  durationMs: z.number().int().nonnegative().optional(),
  url: z.string().optional(),
  startedAt: isoTimestamp.optional(),
  finishedAt: isoTimestamp.optional(),
  /** When Gantry last recorded a change of this step. */
  updatedAt: isoTimestamp,
});
export type ArtifactStep = z.infer<typeof artifactStepSchema>;
export type NewArtifactStep = Omit<ArtifactStep, 'updatedAt'>;

/** Where the artifact was built from. Every field is optional: a report says what it knows. */
export const artifactSourceSchema = z.object({
  /** The source repository: a URL (`https://github.com/acme/app`) or `owner/name`. */
  repository: z.string().optional(),
  commit: z.string().optional(),
  branch: z.string().optional(),
  author: z.object({ name: z.string().optional(), email: z.string().optional() }).optional(),
  message: z.string().optional(),
  /** The commit's time, ISO 8601. */
  time: isoTimestamp.optional(),
});
export type ArtifactSource = z.infer<typeof artifactSourceSchema>;

/**
 * What CI built, as it reported: an image by digest, or a chart by version. `verified` says
 * whether the registry holds it; a report of something it does not hold (or could not be
 * asked about) is kept, marked unverified with the reason, and trusted as no fact.
 */
export const artifactSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['image', 'chart']),
  /** Image reference without tag or digest (`ghcr.io/acme/app`), for images. */
  image: z.string().optional(),
  /** Manifest digest: always for images; for charts when known. */
  digest: z.string().optional(),
  chart: z.string().optional(),
  version: z.string().optional(),
  source: artifactSourceSchema,
  /** Which facts of `source` came from the report itself and which from the image's OCI labels. */
  sourceFrom: z.enum(['report', 'labels', 'report+labels']),
  ci: z.object({ runUrl: z.string().optional(), provider: z.string().optional() }),
  /** Pipelines whose source reads this artifact (or the one the report named). */
  pipelines: z.array(z.string()),
  verified: z.boolean(),
  unverifiedReason: z.string().optional(),
  reportedAt: isoTimestamp,
  reportedBy: z.string(),
  updatedAt: isoTimestamp,
  steps: z.array(artifactStepSchema),
});
export type Artifact = z.infer<typeof artifactSchema>;

/** The source fields a report may carry, each of which may instead come from the image's OCI labels. */
export const SOURCE_FIELDS = [
  'repository',
  'commit',
  'branch',
  'authorName',
  'authorEmail',
  'message',
  'time',
] as const;
export type SourceField = (typeof SOURCE_FIELDS)[number];

/** What a report records (merged into the artifact the same digest or chart version already has). */
export type NewArtifact = Omit<Artifact, 'id' | 'reportedAt' | 'updatedAt' | 'steps' | 'sourceFrom'> & {
  /** The source fields read from the image's OCI labels rather than reported (default none). */
  readonly labelled?: readonly SourceField[];
  readonly steps?: readonly NewArtifactStep[];
};

/**
 * What recording did: `created` a new artifact, `updated` an existing one (new facts, a step
 * moved on, now verified), or `unchanged` (a replay: nothing was written).
 */
export type ArtifactOutcome = 'created' | 'updated' | 'unchanged';

export interface ArtifactQuery {
  readonly pipeline?: string;
  readonly branch?: string;
  readonly digest?: string;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
  /** 1..500; default 50. */
  readonly limit?: number;
}
