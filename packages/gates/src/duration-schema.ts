import type { Duration } from '@gantry/core';
import { parseDuration } from '@gantry/core';
import { z } from 'zod';

const DURATION_TEXT = /^(\d+(\.\d+)?(ms|s|m|h|d))+$/;

/**
 * A duration in a gate: `30m`, `2h`, `1d12h` in `gantry.yaml`, or a `Duration` value
 * (`seconds(90)`) in `gantry.config.ts`. The same text as checks' durations.
 */
export const durationSchema: z.ZodType<Duration, string | Duration> = z.union(
  [z.string().regex(DURATION_TEXT).transform(parseDuration), z.strictObject({ ms: z.number().nonnegative() })],
  { error: 'a duration such as 30m, 2h or 1d12h' },
);

/** A duration that must be longer than nothing. */
export const positiveDurationSchema = durationSchema.refine((d) => d.ms > 0, 'a duration longer than 0, e.g. 2h');
