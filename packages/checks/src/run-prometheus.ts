import type { AttemptOutcome } from './attempts.js';
import { attemptSignal, describeFetchError, readBody, runAttempts, throwIfCancelled } from './attempts.js';
import { compare, formatComparison } from './comparison.js';
import type { ResolvedDeps } from './deps.js';
import { formatDuration } from './duration-schema.js';
import type { KindOutcome } from './kind-outcome.js';
import { formatLabels, parseQueryResponse, parseSampleValue } from './prometheus-response.js';
import type { PrometheusCheck } from './prometheus-schema.js';
import type { PrometheusEvidence } from './result.js';
import { tailBuffer } from './tail-buffer.js';

const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const KEPT_SAMPLES = 20;

/** `<server>/api/v1/query`, keeping a path prefix (`https://host/prometheus`). */
export function queryUrl(server: string): string {
  return new URL('api/v1/query', server.endsWith('/') ? server : `${server}/`).toString();
}

function authHeaders(check: PrometheusCheck): Record<string, string> {
  const headers: Record<string, string> = { ...check.headers };
  if (check.auth && 'bearer' in check.auth) headers.authorization = `Bearer ${check.auth.bearer}`;
  if (check.auth && 'username' in check.auth) {
    const token = Buffer.from(`${check.auth.username}:${check.auth.password}`).toString('base64');
    headers.authorization = `Basic ${token}`;
  }
  return headers;
}

type PromAttempt = AttemptOutcome<PrometheusEvidence> & { readonly body?: string };

async function attemptOnce(check: PrometheusCheck, deps: ResolvedDeps): Promise<PromAttempt> {
  const expect = formatComparison(check.expect);
  const base = { server: check.server, query: check.query, expect, sampleCount: 0, samples: [] };
  const limit = attemptSignal(check.timeout, deps.signal);
  let status: number;
  let body: string;
  try {
    const res = await deps.fetch(queryUrl(check.server), {
      method: 'POST',
      headers: { ...authHeaders(check), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: check.query }).toString(),
      signal: limit.signal,
    });
    status = res.status;
    body = (await readBody(res, MAX_RESPONSE_BYTES)).text;
  } catch (e) {
    throwIfCancelled(check.name, deps.signal);
    const error = limit.timedOut() ? 'timeout' : describeFetchError(e).code;
    const why = limit.timedOut() ? `no answer within ${formatDuration(check.timeout)}` : describeFetchError(e).message;
    return {
      ok: false,
      reason: `cannot evaluate: Prometheus at ${check.server}: ${why}`,
      evidence: { ...base, error },
    };
  }
  const answer = parseQueryResponse(status, body);
  if (!answer.ok) {
    const resultType = answer.resultType ? { resultType: answer.resultType } : {};
    return {
      ok: false,
      reason: `cannot evaluate: ${answer.error}`,
      evidence: { ...base, ...resultType, error: answer.error },
      body,
    };
  }
  const evidence = {
    ...base,
    resultType: answer.resultType,
    sampleCount: answer.samples.length,
    samples: answer.samples.slice(0, KEPT_SAMPLES),
  };
  if (answer.samples.length === 0) {
    return check.onEmpty === 'pass'
      ? { ok: true, reason: 'no data, which passes (onEmpty: pass)', evidence, body }
      : {
          ok: false,
          reason: 'no data: the query returned no samples',
          evidence: { ...evidence, error: 'no_data' },
          body,
        };
  }
  const failing = answer.samples.find((s) => !compare(parseSampleValue(s.value), check.expect));
  const deciding = failing ?? (answer.samples[0] as (typeof answer.samples)[number]);
  const where = formatLabels(deciding.labels);
  const of = answer.samples.length > 1 ? ` (${answer.samples.length} samples)` : '';
  return failing
    ? {
        ok: false,
        reason: `value ${failing.value}${where} is not ${expect}${of}`,
        evidence: { ...evidence, value: failing.value },
        body,
      }
    : {
        ok: true,
        reason: `value ${deciding.value}${where} ${expect}${of}`,
        evidence: { ...evidence, value: deciding.value },
        body,
      };
}

/** Runs a Prometheus check (already rendered) to its outcome. */
export async function runPrometheusCheck(
  check: PrometheusCheck,
  deps: ResolvedDeps,
): Promise<KindOutcome<PrometheusEvidence>> {
  const log = tailBuffer(deps.outputLimit);
  let last: PromAttempt | undefined;
  const { outcome, attempts } = await runAttempts(check, deps, async (n) => {
    const a = await attemptOnce(check, deps);
    log.append(`attempt ${n}: ${a.ok ? 'passed' : 'failed'}: ${a.reason}\n`);
    last = a;
    return a;
  });
  log.append(`query: ${check.query}\n`);
  if (last?.body) log.append(`--- response (attempt ${attempts}) ---\n${last.body}\n`);
  return {
    status: outcome.ok ? 'passed' : 'failed',
    reason: attempts > 1 ? `${outcome.reason} (attempt ${attempts} of ${check.retries + 1})` : outcome.reason,
    output: log.text(),
    outputTruncated: log.truncated(),
    attempts,
    evidence: outcome.evidence,
  };
}
