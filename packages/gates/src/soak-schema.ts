import { z } from 'zod';
import { remember } from './compiled.js';
import { durationSchema } from './duration-schema.js';
import { gateNameSchema } from './gate-name.js';

/**
 * `soak`: the version must be verified in the upstream phase (every upstream, or the one
 * named) and have stayed there at least `duration` since. With no duration it only asks
 * for the upstream's verification.
 */
export const soakGateSchema = z
  .strictObject({
    kind: z.literal('soak'),
    name: gateNameSchema.optional(),
    duration: durationSchema
      .prefault('0s')
      .describe('How long the version must have been verified upstream, e.g. 2h (0s: verified is enough).'),
    upstream: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe("The upstream phase it must soak in (default: every one of the phase's upstreams)."),
  })
  // remembered like the other kinds (with nothing to compile), so evaluation knows it was parsed
  .transform((g) => remember({ ...g, name: g.name ?? 'soak' }, true));

export type SoakGateInput = z.input<typeof soakGateSchema>;
export type SoakGate = z.output<typeof soakGateSchema>;
