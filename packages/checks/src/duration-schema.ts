import type { Duration } from '@gantry/core';
import { parseDuration } from '@gantry/core';
import { z } from 'zod';

const DURATION_TEXT = /^(\d+(\.\d+)?(ms|s|m|h|d))+$/;

/**
 * A duration in a check definition: `500ms`, `30s`, `5m`, `1h30m` in `gantry.yaml`, or a
 * `Duration` value (`seconds(5)`) from `gantry.config.ts`. Parses to a `Duration`.
 */
export const durationSchema: z.ZodType<Duration, string | Duration> = z.union(
  [z.string().regex(DURATION_TEXT).transform(parseDuration), z.strictObject({ ms: z.number().nonnegative() })],
  { error: 'a duration such as 500ms, 30s, 5m or 1h30m' },
);

/** `200ms`, `5s`, `1m30s`: how a duration reads in a reason. */
export function formatDuration(d: Duration): string {
  if (d.ms < 1000 || d.ms % 1000 !== 0) return `${d.ms}ms`;
  const s = d.ms / 1000;
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
}
