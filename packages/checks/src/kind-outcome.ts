import type { CheckStatus } from './result.js';

/** What a kind's runner decides; `runCheck` adds name, kind and times. */
export interface KindOutcome<E> {
  readonly status: CheckStatus;
  readonly reason: string;
  readonly output: string;
  readonly outputTruncated: boolean;
  readonly attempts: number;
  readonly evidence: E;
}
