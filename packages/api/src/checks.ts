import { z } from '@hono/zod-openapi';

const timestamp = z.iso.datetime({ offset: true });

/** What an HTTP check saw on its last attempt. */
const httpEvidenceSchema = z.object({
  url: z.string(),
  method: z.string(),
  statusCode: z.number().int().optional(),
  error: z.string().optional().openapi({ description: 'Why no response came: `ECONNREFUSED`, `timeout`, ...' }),
});

/** What a Prometheus check saw on its last attempt. */
const prometheusEvidenceSchema = z.object({
  server: z.string(),
  query: z.string(),
  expect: z.string(),
  resultType: z.string().optional(),
  value: z.string().optional().openapi({
    description: "The deciding value (the first failing sample's, else the first sample's), as Prometheus wrote it.",
  }),
  sampleCount: z.number().int().min(0),
  samples: z
    .array(z.object({ labels: z.record(z.string(), z.string()), value: z.string() }))
    .openapi({ description: 'Up to 20 samples of the result.' }),
  error: z.string().optional(),
});

/** How a command check's process ended. */
const commandEvidenceSchema = z.object({
  argv: z.array(z.string()),
  exitCode: z.number().int().nullable().openapi({ description: '`null` when a signal ended it or it never started.' }),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  error: z.string().optional(),
});

const common = {
  name: z.string(),
  status: z.enum(['passed', 'failed']),
  reason: z.string().openapi({ description: 'One line: why it passed or failed.' }),
  output: z.string().openapi({ description: 'The last 64 KiB (by default) of what the check printed or received.' }),
  outputTruncated: z.boolean(),
  attempts: z.number().int().min(0),
  startedAt: timestamp,
  finishedAt: timestamp,
};

/** One check's result of one verification run: its verdict, output and what it saw (`evidence`, by kind). */
export const checkResultSchema = z
  .discriminatedUnion('kind', [
    z.object({ ...common, kind: z.literal('http'), evidence: httpEvidenceSchema }),
    z.object({ ...common, kind: z.literal('prometheus'), evidence: prometheusEvidenceSchema }),
    z.object({ ...common, kind: z.literal('command'), evidence: commandEvidenceSchema }),
  ])
  .openapi('CheckResult');

/** A recorded check result: which run of the promotion's verification it belongs to. */
export const checkResultEntrySchema = z
  .object({
    run: z.number().int().positive(),
    name: z.string(),
    recordedAt: timestamp,
    result: checkResultSchema,
  })
  .openapi('CheckResultEntry');

/** Every check result of a promotion, all runs, in the order they were recorded. */
export const checkResultsSchema = z
  .object({ promotionId: z.uuid(), items: z.array(checkResultEntrySchema) })
  .openapi('CheckResults');
