import { z } from '@hono/zod-openapi';
import { planSchema } from './plan.js';
import { promotionSchema } from './promotion.js';

const timestamp = z.iso.datetime({ offset: true });

/** A person's approval or rejection of a waiting promotion's version. */
export const decisionBodySchema = z
  .object({
    comment: z.string().max(2000).optional().openapi({ description: 'Why; required to reject.' }),
  })
  .openapi('Decision');

/** A pin (a phase held at a version) or a pause (a phase or pipeline held), with who and why. */
export const holdSchema = z
  .object({
    id: z.string(),
    pipeline: z.string(),
    phase: z.string().optional(),
    kind: z.enum(['pin', 'pause']),
    actor: z.string(),
    reason: z.string(),
    digest: z.string().optional(),
    at: timestamp,
    releasedAt: timestamp.optional(),
    releasedBy: z.string().optional(),
  })
  .openapi('Hold');

/** Every gate's verdict for one version, what they add up to, and what holds automation back. */
export const whySchema = z
  .object({
    plan: planSchema,
    gates: z
      .object({
        verdicts: z.array(z.record(z.string(), z.unknown())).openapi({
          description: 'One per gate: gate, kind, outcome (pass | wait | block), reason, evidence, unblock, changesAt.',
        }),
        summary: z.object({
          outcome: z.enum(['pass', 'wait', 'block']),
          blocking: z.array(z.string()),
          waiting: z.array(z.string()),
          recheckAt: timestamp.optional(),
          reason: z.string(),
        }),
      })
      .optional(),
    holds: z.array(holdSchema),
    unfinished: z.array(promotionSchema),
  })
  .openapi('Why');

export const whyQuery = z.object({
  digest: z
    .string()
    .regex(/^[a-z0-9]+:[a-f0-9]{32,}$/, 'a digest such as sha256:…')
    .optional()
    .openapi({ description: 'The version to explain (default: the one the upstream holds).' }),
});
