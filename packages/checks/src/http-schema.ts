import { z } from 'zod';
import { checkNameSchema, defaultCheckName } from './check-name.js';
import { durationSchema } from './duration-schema.js';
import { expectedStatusSchema } from './status-range.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function isRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** What the response body must hold: a substring (shorthand: a plain string) or a regex. */
const expectBody = z.union([
  z
    .string()
    .min(1)
    .transform((contains) => ({ contains })),
  z.strictObject({ contains: z.string().min(1) }),
  z.strictObject({ regex: z.string().min(1).refine(isRegex, 'not a valid regular expression') }),
]);

/**
 * An HTTP request that must answer with an accepted status (and body). Each attempt has
 * its own `timeout`; a failed attempt is retried `retries` times, `interval` apart.
 * `url`, header values, `body` and `expectBody.contains` may use `{{version}}` and the
 * other promotion variables.
 */
export const httpCheckSchema = z
  .strictObject({
    kind: z.literal('http'),
    name: checkNameSchema.optional(),
    url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
    method: z.enum(HTTP_METHODS).default('GET'),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.string().optional().describe('Request body, sent as is.'),
    expectStatus: expectedStatusSchema.prefault('200-299'),
    expectBody: expectBody
      .optional()
      .describe('A substring (plain string or {contains}) or {regex} the body must match.'),
    followRedirects: z.boolean().default(true).describe('Follow redirects (true); false checks the 3xx itself.'),
    retries: z.number().int().min(0).max(1000).default(2).describe('Further attempts after a failed one (2).'),
    interval: durationSchema.prefault('5s').describe('Wait between attempts (5s).'),
    timeout: durationSchema.prefault('10s').describe('Time limit of one attempt, body included (10s).'),
  })
  .transform((c) => ({ ...c, name: c.name ?? defaultCheckName('http', `${c.method} ${c.url}`) }));

export type HttpCheckInput = z.input<typeof httpCheckSchema>;
export type HttpCheck = z.output<typeof httpCheckSchema>;
