import { z } from 'zod';
import { checkNameSchema, defaultCheckName } from './check-name.js';
import { comparisonSchema } from './comparison.js';
import { durationSchema } from './duration-schema.js';

const auth = z.union([
  z.strictObject({ username: z.string().min(1), password: z.string() }),
  z.strictObject({ bearer: z.string().min(1) }),
]);

/**
 * A PromQL instant query whose value must satisfy a bound. Every sample of a vector
 * result must satisfy it (aggregate with `sum`/`max` for one value). An empty result
 * fails as "no data" unless `onEmpty: pass`.
 */
export const prometheusCheckSchema = z
  .strictObject({
    kind: z.literal('prometheus'),
    name: checkNameSchema.optional(),
    server: z
      .url({ protocol: /^https?$/, error: 'the Prometheus base URL (http:// or https://)' })
      .describe('Base URL of the Prometheus HTTP API, e.g. http://prometheus:9090 (a path prefix is kept).'),
    query: z.string().trim().min(1).describe('PromQL instant query; may use {{version}} and the other variables.'),
    expect: comparisonSchema.describe('The bound: "< 0.01", ">= 1", "== 0", or {op, value}.'),
    onEmpty: z.enum(['fail', 'pass']).default('fail').describe('An empty result fails ("no data") unless "pass".'),
    auth: auth.optional().describe('Basic ({username, password}) or bearer ({bearer}) authentication.'),
    headers: z.record(z.string(), z.string()).default({}),
    retries: z.number().int().min(0).max(1000).default(2).describe('Further attempts after a failed one (2).'),
    interval: durationSchema.prefault('15s').describe('Wait between attempts (15s).'),
    timeout: durationSchema.prefault('10s').describe('Time limit of one query (10s).'),
  })
  .transform((c) => ({ ...c, name: c.name ?? defaultCheckName('prometheus', c.query) }));

export type PrometheusCheckInput = z.input<typeof prometheusCheckSchema>;
export type PrometheusCheck = z.output<typeof prometheusCheckSchema>;
