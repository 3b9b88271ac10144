import type { Check } from './check-schema.js';
import type { CheckContext } from './context.js';
import { renderCheck } from './context.js';
import type { CheckDeps } from './deps.js';
import { resolveDeps } from './deps.js';
import { CheckCancelledError } from './errors.js';
import type { CheckResult } from './result.js';
import { commandArgv, runCommandCheck } from './run-command.js';
import { runHttpCheck } from './run-http.js';
import { runPrometheusCheck } from './run-prometheus.js';

/**
 * Runs one check for a promotion and returns its result; never throws for a check that
 * fails or cannot be evaluated (that is a failed result with the reason).
 * @throws CheckCancelledError when `deps.signal` aborts: no result, nothing decided.
 */
export async function runCheck(check: Check, context: CheckContext, deps: CheckDeps = {}): Promise<CheckResult> {
  const d = resolveDeps(deps);
  const startedAt = d.now().toISOString();
  const rendered = renderCheck(check, context);
  const done = { name: check.name, startedAt };
  try {
    switch (rendered.kind) {
      case 'http': {
        const o = await runHttpCheck(rendered, d);
        return { ...done, kind: 'http', ...o, finishedAt: d.now().toISOString() };
      }
      case 'prometheus': {
        const o = await runPrometheusCheck(rendered, d);
        return { ...done, kind: 'prometheus', ...o, finishedAt: d.now().toISOString() };
      }
      case 'command': {
        const o = await runCommandCheck(rendered, context, d);
        return { ...done, kind: 'command', ...o, finishedAt: d.now().toISOString() };
      }
    }
  } catch (e) {
    if (e instanceof CheckCancelledError) throw e;
    // nothing passes by default: a fault of the runner itself is a failed check, visibly
    return internalFailure(rendered, e, startedAt, d.now().toISOString());
  }
}

function internalFailure(check: Check, e: unknown, startedAt: string, finishedAt: string): CheckResult {
  const message = e instanceof Error ? e.message : String(e);
  const base = {
    name: check.name,
    status: 'failed' as const,
    reason: `cannot evaluate: ${message}`,
    output: e instanceof Error && e.stack ? e.stack : message,
    outputTruncated: false,
    attempts: 0,
    startedAt,
    finishedAt,
  };
  switch (check.kind) {
    case 'http':
      return { ...base, kind: 'http', evidence: { url: check.url, method: check.method, error: 'internal' } };
    case 'prometheus':
      return {
        ...base,
        kind: 'prometheus',
        evidence: {
          server: check.server,
          query: check.query,
          expect: `${check.expect.op} ${check.expect.value}`,
          sampleCount: 0,
          samples: [],
          error: 'internal',
        },
      };
    case 'command':
      return {
        ...base,
        kind: 'command',
        evidence: { argv: commandArgv(check), exitCode: null, signal: null, timedOut: false, error: 'internal' },
      };
  }
}
