import type { ApiCheckResult, ApiCheckResultEntry } from '@gantry/api';
import { formatDuration } from '../../shared/format.js';

/** What a check saw, in one line: `GET https://… → 503`, `error_rate = 0.02 (expected < 0.01)`, `npm test → exit 1`. */
export function describeEvidence(r: ApiCheckResult): string {
  switch (r.kind) {
    case 'http': {
      const e = r.evidence;
      return `${e.method} ${e.url} → ${e.statusCode ?? e.error ?? 'no answer'}`;
    }
    case 'prometheus': {
      const e = r.evidence;
      if (e.error) return `${e.query}: ${e.error}`;
      return `${e.query} = ${e.value ?? '(no sample)'} (expected ${e.expect}; ${e.sampleCount} sample${e.sampleCount === 1 ? '' : 's'})`;
    }
    case 'command': {
      const e = r.evidence;
      const end = e.timedOut
        ? 'timed out'
        : e.error
          ? e.error
          : e.exitCode !== null
            ? `exit ${e.exitCode}`
            : `killed by ${e.signal ?? 'a signal'}`;
      return `${e.argv.join(' ')} → ${end}`;
    }
  }
}

/** How long a check took: `1.4s`. */
export const checkDuration = (r: ApiCheckResult): string =>
  formatDuration(Date.parse(r.finishedAt) - Date.parse(r.startedAt));

/** Results grouped by verification run, newest run first; each run's results in the order they were recorded. */
export function resultsByRun(items: readonly ApiCheckResultEntry[]): { run: number; results: ApiCheckResultEntry[] }[] {
  const runs = new Map<number, ApiCheckResultEntry[]>();
  for (const item of items) runs.set(item.run, [...(runs.get(item.run) ?? []), item]);
  return [...runs.entries()].sort((a, b) => b[0] - a[0]).map(([run, results]) => ({ run, results }));
}
