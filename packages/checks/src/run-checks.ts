import type { Check } from './check-schema.js';
import type { CheckContext } from './context.js';
import type { CheckDeps } from './deps.js';
import { CheckCancelledError } from './errors.js';
import type { CheckResult } from './result.js';
import { runCheck } from './run-check.js';
import type { Verdict } from './verdict.js';
import { evaluateVerdict } from './verdict.js';

export interface RunChecksOptions extends CheckDeps {
  /** Called as each check finishes, so a caller can record results as they come. */
  readonly onResult?: (result: CheckResult) => void | Promise<void>;
}

/**
 * Runs a phase's checks, all at once: they are independent assertions about the same
 * deployed version, so the verdict comes after the slowest one (not the sum of all), and
 * every failing check is reported at once instead of one per re-run. Every check runs
 * to its end even when another has failed. Results are in the order of `checks`.
 * @throws CheckCancelledError when `signal` aborts, once every check has stopped.
 */
export async function runChecks(
  checks: readonly Check[],
  context: CheckContext,
  options: RunChecksOptions = {},
): Promise<{ results: CheckResult[]; verdict: Verdict }> {
  const settled = await Promise.allSettled(
    checks.map(async (c) => {
      const r = await runCheck(c, context, options);
      await options.onResult?.(r);
      return r;
    }),
  );
  const results: CheckResult[] = [];
  for (const s of settled) {
    if (s.status === 'fulfilled') results.push(s.value);
    else if (s.reason instanceof CheckCancelledError) throw new CheckCancelledError(undefined, s.reason);
    else throw s.reason;
  }
  return { results, verdict: evaluateVerdict(checks, results) };
}
