import type { ApiPhaseWarning } from '@gantry/api';
import { localTime } from './format.js';

/**
 * A phase's warning in a few words: `rate-limited until 12:05 · stale` when its registry asked
 * to wait, `stale` when only the latest read failed.
 */
export function warningText(w: ApiPhaseWarning): string {
  const parts: string[] = [];
  if (w.registry) parts.push(`${w.registry.state} until ${localTime(w.registry.until)}`);
  if (w.stale) parts.push('stale');
  return parts.join(' · ') || w.code;
}

/** The longer text a title shows: what happened and since when the state is as shown. */
export function warningDetail(w: ApiPhaseWarning): string {
  const since = w.stale && w.observedAt ? ` The state shown was observed at ${localTime(w.observedAt)}.` : '';
  return `${w.message}.${since}`.replace('..', '.');
}
