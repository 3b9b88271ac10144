import { z } from '@hono/zod-openapi';
import { phaseParams } from './params.js';
import { promotionSchema } from './promotion.js';

const timestamp = z.iso.datetime({ offset: true });
const digestSchema = z.string().regex(/^[a-z0-9]+:[a-f0-9]{32,}$/, 'a digest such as sha256:…');

const SAY_WHY = 'a reason is required: it is shown on the verdict and recorded in the audit log';

/** `/pipelines/{pipeline}/phases/{phase}/gates/{gate}/override`. */
export const gateParams = phaseParams.extend({
  gate: z.string().openapi({ param: { name: 'gate', in: 'path' }, example: 'production hours' }),
});

/** An admin's override of a window gate: why (required), for which version (default any), until when (default for good). */
export const overrideBodySchema = z
  .strictObject({
    reason: z
      .string({ error: SAY_WHY })
      .trim()
      .min(1, SAY_WHY)
      .max(500)
      .openapi({ description: 'Why the window or freeze is overridden (required).' }),
    digest: digestSchema.optional().openapi({ description: 'Only this version, by digest (wins over `version`).' }),
    version: z.string().trim().min(1).max(200).optional().openapi({
      description:
        'Only this version as people read it (a tag), or its digest. Default (neither): any version of the phase.',
    }),
    expiresAt: timestamp.optional().openapi({
      description: 'When the override stops counting (ISO 8601 with offset); must be in the future. Default: never.',
    }),
  })
  .openapi('OverrideRequest');

/** An override as recorded. */
export const gateOverrideSchema = z
  .object({
    id: z.string(),
    pipeline: z.string(),
    phase: z.string(),
    gate: z.string().openapi({ description: "The window gate's name." }),
    digest: z.string().optional().openapi({ description: 'The version it is for; absent: any version.' }),
    version: z.string().optional(),
    actor: z.string().openapi({ description: 'Who overrode.' }),
    role: z.string(),
    reason: z.string(),
    at: timestamp,
    expiresAt: timestamp.optional(),
  })
  .openapi('GateOverride');

/** The override, and the phase's waiting promotions as their gates judge them now (a released one is `queued`). */
export const overrideResultSchema = z
  .object({ override: gateOverrideSchema, promotions: z.array(promotionSchema) })
  .openapi('OverrideResult');

/** The overrides of a phase in force now (not expired), oldest first. */
export const overrideListSchema = z.object({ items: z.array(gateOverrideSchema) }).openapi('OverrideList');

export type ApiOverrideBody = z.input<typeof overrideBodySchema>;
export type ApiGateOverride = z.infer<typeof gateOverrideSchema>;
export type ApiOverrideResult = z.infer<typeof overrideResultSchema>;
export type ApiOverrideList = z.infer<typeof overrideListSchema>;
