import { z } from '@hono/zod-openapi';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** A period bound: a date (midnight UTC) or an ISO 8601 time with its offset; read as a Date. */
const instant = z
  .string()
  .refine((s) => (DATE.test(s) || TIME.test(s)) && !Number.isNaN(Date.parse(DATE.test(s) ? `${s}T00:00:00Z` : s)), {
    message: 'a date (2025-03-01) or an ISO 8601 time (2025-03-01T12:00:00Z)',
  })
  .transform((s) => new Date(DATE.test(s) ? `${s}T00:00:00Z` : s));

/** A look-back span: `30d`, `12w`, `24h`. */
const span = z.string().regex(/^(\d+[hdw])+$/, 'a span such as 30d, 12w or 24h');

/**
 * `GET /api/v1/metrics`: the period is [from, to); `to` defaults to now, `from` to `to` minus
 * `since` (default 30 days). `pipeline` and `phase` narrow the scope.
 */
export const metricsQuery = z
  .object({
    from: instant.optional().openapi({ type: 'string', description: 'Start (inclusive): 2025-03-01 or ISO 8601.' }),
    to: instant.optional().openapi({ type: 'string', description: 'End (exclusive); default now.' }),
    since: span.optional().openapi({ description: 'Instead of `from`: this long before `to` (default 30d).' }),
    pipeline: z.string().min(1).optional(),
    phase: z.string().min(1).optional().openapi({ description: 'A phase name, of `pipeline` or of every pipeline.' }),
    bucket: z
      .enum(['day', 'week'])
      .optional()
      .openapi({ description: 'Series bucket (default: day up to 92 days, else week).' }),
  })
  .refine((q) => q.from === undefined || q.since === undefined, {
    path: ['since'],
    message: 'give from or since, not both',
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.to.getTime() > q.from.getTime(), {
    path: ['to'],
    message: 'the period must end after it starts',
  });

const seconds = z.number().nonnegative().nullable();

const figures = {
  deploymentFrequency: z.object({
    count: z
      .number()
      .int()
      .nonnegative()
      .openapi({ description: 'Deployments (promotions that succeeded with a commit).' }),
    perDay: z.number().nonnegative(),
    perWeek: z.number().nonnegative(),
  }),
  leadTime: z.object({
    samples: z.number().int().nonnegative(),
    medianSeconds: seconds,
    p90Seconds: seconds,
    sources: z.object({ artifact: z.number().int(), image: z.number().int(), 'first-seen': z.number().int() }).openapi({
      description:
        'Where the source commit time of the samples came from: a CI artifact report, the image labels, or the version’s first promotion.',
    }),
  }),
  changeFailureRate: z.object({
    failures: z.number().int().nonnegative(),
    deployments: z.number().int().nonnegative(),
    rate: z.number().min(0).max(1),
    causes: z.object({ verification: z.number().int(), deployment: z.number().int(), rollback: z.number().int() }),
  }),
  timeToRestore: z.object({
    samples: z.number().int().nonnegative(),
    medianSeconds: seconds,
    open: z.number().int().nonnegative().openapi({ description: 'Failures no later version has restored yet.' }),
  }),
};

export const seriesPointSchema = z
  .object({
    start: z.string(),
    deployments: z.number().int().nonnegative(),
    failures: z.number().int().nonnegative(),
    leadTimeMedianSeconds: seconds,
    timeToRestoreMedianSeconds: seconds,
  })
  .openapi('MetricsSeriesPoint');

export const phaseMetricsSchema = z
  .object({
    pipeline: z.string(),
    phase: z.string(),
    ...figures,
    series: z.array(seriesPointSchema).optional().openapi({ description: 'With `pipeline`: each phase’s series.' }),
  })
  .openapi('PhaseMetrics');

/** Delivery metrics (DORA) of a period: the total over the scope, and each phase with a deployment. */
export const deliveryMetricsSchema = z
  .object({
    period: z.object({
      from: z.string(),
      to: z.string(),
      days: z.number().positive(),
      bucket: z.enum(['day', 'week']),
    }),
    total: z.object({ ...figures, series: z.array(seriesPointSchema) }),
    phases: z.array(phaseMetricsSchema),
  })
  .openapi('DeliveryMetrics');

export type ApiMetricsQuery = z.input<typeof metricsQuery>;
export type ApiDeliveryMetrics = z.infer<typeof deliveryMetricsSchema>;
export type ApiPhaseMetrics = z.infer<typeof phaseMetricsSchema>;
export type ApiMetricsSeriesPoint = z.infer<typeof seriesPointSchema>;
