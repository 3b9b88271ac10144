import { z } from 'zod';

/** What an HTTP check saw on its last attempt. */
export const httpEvidenceSchema = z.object({
  url: z.string(),
  method: z.string(),
  statusCode: z.number().int().optional(),
  /** Why no response came: `ECONNREFUSED`, `timeout`, ... */
  error: z.string().optional(),
});

/** A sample of a Prometheus result: its labels and value, as Prometheus wrote it. */
export const prometheusSampleSchema = z.object({
  labels: z.record(z.string(), z.string()),
  value: z.string(),
});

/** What a Prometheus check saw on its last attempt. */
export const prometheusEvidenceSchema = z.object({
  server: z.string(),
  query: z.string(),
  expect: z.string(),
  resultType: z.string().optional(),
  /** The deciding value (the first failing sample's, else the first sample's), as Prometheus wrote it: "0.5", "NaN", "+Inf". */
  value: z.string().optional(),
  /** How many samples the result had; up to 20 are kept in `samples`. */
  sampleCount: z.number().int().min(0),
  samples: z.array(prometheusSampleSchema),
  error: z.string().optional(),
});

/** How a command check's process ended. */
export const commandEvidenceSchema = z.object({
  argv: z.array(z.string()),
  /** `null` when it was ended by a signal or never started. */
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  error: z.string().optional(),
});

const common = {
  name: z.string(),
  status: z.enum(['passed', 'failed']),
  /** One line: why it passed or failed. */
  reason: z.string(),
  /** The last 64 KiB (by default) of what the check printed or received. */
  output: z.string(),
  outputTruncated: z.boolean(),
  attempts: z.number().int().min(0),
  startedAt: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }),
};

/**
 * The result of one run of one check: plain JSON, to store and to evaluate later with
 * `evaluateVerdict`. Read stored results back through this schema.
 */
export const checkResultSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('http'), evidence: httpEvidenceSchema }),
  z.object({ ...common, kind: z.literal('prometheus'), evidence: prometheusEvidenceSchema }),
  z.object({ ...common, kind: z.literal('command'), evidence: commandEvidenceSchema }),
]);

export type CheckResult = z.infer<typeof checkResultSchema>;
export type CheckStatus = CheckResult['status'];
export type HttpEvidence = z.infer<typeof httpEvidenceSchema>;
export type PrometheusEvidence = z.infer<typeof prometheusEvidenceSchema>;
export type PrometheusSample = z.infer<typeof prometheusSampleSchema>;
export type CommandEvidence = z.infer<typeof commandEvidenceSchema>;
