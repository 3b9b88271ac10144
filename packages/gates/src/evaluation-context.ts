import type { GateFacts } from './facts.js';
import { isManual } from './facts.js';

/** What every gate's evaluation reads besides its own facts, computed once per evaluation. */
export interface EvaluationContext {
  readonly facts: GateFacts;
  /** `facts.now` as epoch ms. */
  readonly now: number;
  readonly manual: boolean;
}

export function contextOf(facts: GateFacts): EvaluationContext {
  return { facts, now: facts.now.getTime(), manual: isManual(facts.request) };
}

/** `sha256:0123456789ab`: a digest short enough for a reason. */
export function shortDigest(digest: string): string {
  const i = digest.indexOf(':');
  return i >= 0 ? digest.slice(0, i + 13) : digest.slice(0, 12);
}

/** A commit sha short enough for a reason. */
export function shortSha(sha: string | undefined): string {
  return sha ? sha.slice(0, 10) : 'the source commit';
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
