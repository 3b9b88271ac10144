import { z } from '@hono/zod-openapi';
import { gatesSummarySchema, gateVerdictSchema } from './gate-verdicts.js';
import { planSchema } from './plan.js';
import { promotionSchema } from './promotion.js';

const timestamp = z.iso.datetime({ offset: true });
const digestSchema = z.string().regex(/^[a-z0-9]+:[a-f0-9]{32,}$/, 'a digest such as sha256:…');

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
        verdicts: z.array(gateVerdictSchema).openapi({
          description: 'One per gate, in the order the phase declares them, each with its evidence.',
        }),
        summary: gatesSummarySchema,
      })
      .optional(),
    holds: z.array(holdSchema),
    unfinished: z.array(promotionSchema),
  })
  .openapi('Why');

export const whyQuery = z.object({
  digest: digestSchema
    .optional()
    .openapi({ description: 'The version to explain (default: the one the upstream holds).' }),
  as: z
    .enum(['automation', 'person'])
    .default('automation')
    .openapi({
      description:
        'Who would ask. automation (default): what auto-promotion meets. person: a release by hand by the caller ' +
        "(a branch rule's manual-only branches and a commit's skip marker let it through; the caller's own approval " +
        "does not count), as the dashboard's promote dialog asks.",
    }),
});

/** Why a person holds automation back: required, recorded on the hold and in the audit log. */
const SAY_WHY = 'a reason is required: it is shown with the hold and recorded in the audit log';
const reasonSchema = z.string({ error: SAY_WHY }).trim().min(1, SAY_WHY).max(500);

/** `POST /pipelines/{pipeline}/phases/{phase}/pin`. */
export const pinBodySchema = z
  .strictObject({
    reason: reasonSchema.openapi({ description: 'Why the phase is pinned (required).' }),
    digest: digestSchema
      .optional()
      .openapi({ description: 'The version the pin names (default: the one the phase holds now).' }),
  })
  .openapi('PinRequest');

/** `POST /pipelines/{pipeline}/pause`. */
export const pauseBodySchema = z
  .strictObject({
    reason: reasonSchema.openapi({ description: 'Why automation stops (required).' }),
    phase: z
      .string()
      .min(1)
      .optional()
      .openapi({ description: 'Pause this phase only (default: the whole pipeline).' }),
  })
  .openapi('PauseRequest');

/** The optional body of releasing a pin or a pause. */
export const releaseBodySchema = z
  .strictObject({
    reason: z.string().trim().max(500).optional().openapi({ description: 'Why it is released (audit log).' }),
  })
  .openapi('ReleaseRequest');

/** `DELETE /pipelines/{pipeline}/pause?phase=`. */
export const pauseQuery = z.object({
  phase: z.string().min(1).optional().openapi({ description: "The phase's pause (default: the whole pipeline's)." }),
});

/** `GET /holds?pipeline=`. */
export const holdsQuery = z.object({
  pipeline: z.string().min(1).optional().openapi({ description: 'Only this pipeline (default: all).' }),
});

/** The pins and pauses in force, oldest first. */
export const holdListSchema = z.object({ items: z.array(holdSchema) }).openapi('HoldList');

export type ApiDecisionBody = z.input<typeof decisionBodySchema>;
export type ApiHold = z.infer<typeof holdSchema>;
export type ApiHoldList = z.infer<typeof holdListSchema>;
export type ApiPinBody = z.input<typeof pinBodySchema>;
export type ApiPauseBody = z.input<typeof pauseBodySchema>;
export type ApiReleaseBody = z.input<typeof releaseBodySchema>;
export type ApiWhy = z.infer<typeof whySchema>;
