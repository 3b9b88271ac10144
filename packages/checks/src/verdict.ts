import type { CheckResult } from './result.js';

/**
 * What a phase's check results say about the promotion:
 * - `verified`: every check has passed (its latest result);
 * - `failed`: at least one check's latest result failed, whatever the others say;
 * - `pending`: none failed, some have no result yet;
 * - `no-checks`: the phase has no checks, so checks verify nothing (the caller decides
 *   what that means; it is never reported as verified here).
 */
export type Verdict =
  | { readonly state: 'verified'; readonly results: readonly CheckResult[]; readonly at: string }
  | {
      readonly state: 'failed';
      /** The failed checks' results, earliest first. */
      readonly failed: readonly CheckResult[];
      readonly results: readonly CheckResult[];
      /** When the first check failed. */
      readonly at: string;
    }
  | { readonly state: 'pending'; readonly missing: readonly string[]; readonly results: readonly CheckResult[] }
  | { readonly state: 'no-checks' };

const byFinish = (a: CheckResult, b: CheckResult) => Date.parse(a.finishedAt) - Date.parse(b.finishedAt);

/**
 * Pure: the verdict of a phase's checks (named in `checks`) from recorded results. Only
 * each check's latest result counts (a re-run replaces earlier ones); results of checks
 * no longer listed are ignored. `results` are in the order of `checks`.
 */
export function evaluateVerdict(
  checks: readonly (string | { readonly name: string })[],
  recorded: readonly CheckResult[],
): Verdict {
  if (checks.length === 0) return { state: 'no-checks' };
  const latest = new Map<string, CheckResult>();
  // stable sort: of two results finished at the same instant, the later-recorded one wins
  for (const r of [...recorded].sort(byFinish)) latest.set(r.name, r);
  const names = checks.map((c) => (typeof c === 'string' ? c : c.name));
  const results = names.flatMap((n) => latest.get(n) ?? []);
  const failed = results.filter((r) => r.status === 'failed').sort(byFinish);
  const first = failed[0];
  if (first) return { state: 'failed', failed, results, at: first.finishedAt };
  const missing = names.filter((n) => !latest.has(n));
  if (missing.length > 0) return { state: 'pending', missing, results };
  const last = [...results].sort(byFinish).at(-1) as CheckResult;
  return { state: 'verified', results, at: last.finishedAt };
}
