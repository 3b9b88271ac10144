import { z } from '@hono/zod-openapi';

const timestamp = z.iso.datetime({ offset: true, error: 'an ISO 8601 time, e.g. 2026-03-01T09:00:00Z' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2048);
const digestSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-f0-9]{32,128}$/, 'a manifest digest such as sha256:<64 hex digits>');
/** Registry host, path, repository; a tag or digest after it is allowed and ignored (the digest field decides). */
const imageSchema = z
  .string()
  .max(512)
  .regex(
    /^[A-Za-z0-9.-]+(?::\d+)?(?:\/[a-z0-9._-]+)+(?::[\w][\w.-]{0,127})?(?:@[a-z0-9]+:[a-f0-9]{32,128})?$/,
    'an image reference such as ghcr.io/acme/app (host, then repository)',
  );

/** How far a CI step got. */
export const artifactStepStatusSchema = z.enum(['running', 'succeeded', 'failed', 'skipped']);

/** One step of the CI run as CI reports it (`POST /artifacts/{id}/steps`, or in a report's `steps`). */
export const artifactStepBodySchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(100)
      .openapi({ description: 'The step, e.g. build, test, scan: one record per name.', example: 'test' }),
    status: artifactStepStatusSchema,
    durationMs: z
      .number()
      .int()
      .nonnegative()
      .max(31 * 24 * 3_600_000)
      .optional(),
    url: httpUrl.optional().openapi({ description: "The step's page in the CI system." }),
    startedAt: timestamp.optional(),
    finishedAt: timestamp.optional(),
  })
  .strict()
  .openapi('ArtifactStepReport');

const sourceSchema = z
  .object({
    repository: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .openapi({ description: 'Source repository URL or owner/name.', example: 'https://github.com/acme/app' }),
    commit: z
      .string()
      .regex(/^[0-9a-f]{7,64}$/i, 'a commit SHA (7 to 64 hex digits)')
      .optional(),
    branch: z.string().min(1).max(255).optional(),
    author: z
      .object({
        name: z.string().min(1).max(255).optional(),
        email: z
          .string()
          .max(320)
          .regex(/^[^\s@]+@[^\s@]+$/, 'an email address')
          .optional(),
      })
      .strict()
      .optional(),
    message: z.string().max(20_000).optional(),
    time: timestamp.optional().openapi({ description: "The commit's time." }),
  })
  .strict();

/**
 * What CI posts after a build: an image by digest (or a chart by version), where it was built
 * from, the CI run and its steps. Every source field is optional; with `fromLabels` (or no
 * `source.commit`) the server fills what is missing from the image's OCI annotations/labels.
 */
export const artifactReportSchema = z
  .object({
    image: imageSchema.optional().openapi({ example: 'ghcr.io/acme/app' }),
    digest: digestSchema.optional(),
    chart: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .openapi({ description: 'A chart: its name in a Helm repository, or oci://host/repository.' }),
    version: z.string().min(1).max(128).optional().openapi({ description: "The chart's version." }),
    pipeline: z.string().min(1).max(255).optional().openapi({
      description: 'The pipeline it is for; default: every pipeline whose source reads this image repository.',
    }),
    source: sourceSchema.optional(),
    ci: z
      .object({
        runUrl: httpUrl.optional(),
        provider: z.string().min(1).max(64).optional().openapi({ example: 'github-actions' }),
      })
      .strict()
      .optional(),
    steps: z.array(artifactStepBodySchema).max(100).optional(),
    fromLabels: z.boolean().optional().openapi({
      description:
        "Fill source facts the report leaves out from the image's OCI annotations and labels (default: when source.commit is absent).",
    }),
  })
  .strict()
  .superRefine((r, ctx) => {
    const image = r.image !== undefined || r.digest !== undefined;
    const chart = r.chart !== undefined || r.version !== undefined;
    if (image && chart) {
      ctx.addIssue({
        code: 'custom',
        path: ['chart'],
        message: 'report an image (image, digest) or a chart (chart, version), not both',
      });
      return;
    }
    if (chart) {
      if (r.chart === undefined)
        ctx.addIssue({ code: 'custom', path: ['chart'], message: 'the chart of this version' });
      if (r.version === undefined) ctx.addIssue({ code: 'custom', path: ['version'], message: "the chart's version" });
      return;
    }
    if (r.image === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['image'],
        message: 'the image reference, e.g. ghcr.io/acme/app (or chart and version)',
      });
    const inRef = r.image?.split('@')[1];
    if (r.digest === undefined && inRef === undefined)
      ctx.addIssue({ code: 'custom', path: ['digest'], message: 'the manifest digest the build pushed' });
    if (r.digest !== undefined && inRef !== undefined && inRef !== r.digest)
      ctx.addIssue({ code: 'custom', path: ['digest'], message: `differs from the digest in image (${inRef})` });
  })
  .openapi('ArtifactReport');

/** A recorded artifact: the facts merged over every report of it, and its steps. */
/** One step of an artifact's CI run, as recorded. */
export const artifactStepSchema = z.object({
  name: z.string(),
  status: artifactStepStatusSchema,
  durationMs: z.number().optional(),
  url: z.string().optional(),
  startedAt: timestamp.optional(),
  finishedAt: timestamp.optional(),
  updatedAt: timestamp,
});

export const artifactSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['image', 'chart']),
    image: z.string().optional(),
    digest: z.string().optional(),
    chart: z.string().optional(),
    version: z.string().optional(),
    source: z.object({
      repository: z.string().optional(),
      commit: z.string().optional(),
      branch: z.string().optional(),
      author: z.object({ name: z.string().optional(), email: z.string().optional() }).optional(),
      message: z.string().optional(),
      time: timestamp.optional(),
    }),
    sourceFrom: z.enum(['report', 'labels', 'report+labels']).openapi({
      description: "Whether the source facts were reported by CI, read from the image's OCI labels, or both.",
    }),
    ci: z.object({ runUrl: z.string().optional(), provider: z.string().optional() }),
    pipelines: z.array(z.string()),
    verified: z.boolean().openapi({
      description: 'The registry holds this digest (or chart version). An unverified report is kept, not trusted.',
    }),
    unverifiedReason: z.string().optional(),
    reportedAt: timestamp,
    reportedBy: z.string(),
    updatedAt: timestamp,
    steps: z.array(artifactStepSchema),
  })
  .openapi('Artifact');

/** The answer to a report: the artifact as now recorded, and what the report did to it. */
export const artifactReportResultSchema = z
  .object({
    artifact: artifactSchema,
    outcome: z.enum(['created', 'updated', 'unchanged']).openapi({
      description: '`unchanged`: a replay; nothing was written.',
    }),
  })
  .openapi('ArtifactReportResult');

/**
 * The `artifact` event of /api/v1/events: CI reported an artifact (`created`), or a later report,
 * a step of its run or the registry's late answer changed it (`updated`). A replay is not announced.
 */
export const artifactEventSchema = z
  .object({
    type: z.literal('artifact'),
    artifact: artifactSchema,
    outcome: z.enum(['created', 'updated']),
  })
  .openapi('ArtifactEvent');

export const artifactListSchema = z
  .object({ items: z.array(artifactSchema), nextCursor: z.string().optional() })
  .openapi('ArtifactList');

export const artifactParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const artifactsQuery = z.object({
  pipeline: z.string().min(1).optional(),
  branch: z.string().min(1).optional().openapi({
    description:
      'Builds from this branch. With `pipeline` and none found: 404 `no_branch_build` with `branches` (those that have builds).',
  }),
  digest: digestSchema.optional(),
  cursor: z.string().optional().openapi({ description: "The previous page's `nextCursor`." }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .openapi({ description: '1..500, default 50; newest first.' }),
});

export type ApiArtifact = z.infer<typeof artifactSchema>;
export type ApiArtifactList = z.infer<typeof artifactListSchema>;
export type ApiArtifactReport = z.input<typeof artifactReportSchema>;
export type ApiArtifactReportResult = z.infer<typeof artifactReportResultSchema>;
export type ApiArtifactStepReport = z.input<typeof artifactStepBodySchema>;
export type ApiArtifactEvent = z.infer<typeof artifactEventSchema>;
