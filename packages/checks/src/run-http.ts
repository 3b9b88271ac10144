import type { AttemptOutcome } from './attempts.js';
import { attemptSignal, describeFetchError, readBody, runAttempts, throwIfCancelled } from './attempts.js';
import type { ResolvedDeps } from './deps.js';
import { formatDuration } from './duration-schema.js';
import type { HttpCheck } from './http-schema.js';
import type { HttpEvidence } from './result.js';
import { formatStatusRanges, statusMatches } from './status-range.js';
import { tailBuffer } from './tail-buffer.js';
import type { KindOutcome } from './kind-outcome.js';

/** Bytes of a response body read for `expectBody`; the rest is not read. */
export const MAX_BODY_BYTES = 1024 * 1024;

interface HttpAttempt extends AttemptOutcome<HttpEvidence> {
  readonly body?: string;
}

function bodyMismatch(check: HttpCheck, body: string): string | undefined {
  const want = check.expectBody;
  if (!want) return undefined;
  if ('contains' in want) {
    return body.includes(want.contains) ? undefined : `body does not contain ${JSON.stringify(want.contains)}`;
  }
  return new RegExp(want.regex).test(body) ? undefined : `body does not match /${want.regex}/`;
}

async function attemptOnce(check: HttpCheck, deps: ResolvedDeps): Promise<HttpAttempt> {
  const base = { url: check.url, method: check.method };
  const limit = attemptSignal(check.timeout, deps.signal);
  try {
    const res = await deps.fetch(check.url, {
      method: check.method,
      headers: check.headers,
      ...(check.body !== undefined ? { body: check.body } : {}),
      signal: limit.signal,
      redirect: check.followRedirects ? 'follow' : 'manual',
    });
    const { text } = await readBody(res, MAX_BODY_BYTES);
    const evidence = { ...base, statusCode: res.status };
    if (!statusMatches(res.status, check.expectStatus)) {
      const want = formatStatusRanges(check.expectStatus);
      return { ok: false, reason: `expected status ${want}, got ${res.status}`, evidence, body: text };
    }
    const mismatch = bodyMismatch(check, text);
    if (mismatch) return { ok: false, reason: `status ${res.status}, but ${mismatch}`, evidence, body: text };
    const matched = check.expectBody ? ', body matched' : '';
    return { ok: true, reason: `status ${res.status}${matched}`, evidence, body: text };
  } catch (e) {
    throwIfCancelled(check.name, deps.signal);
    if (limit.timedOut()) {
      return {
        ok: false,
        reason: `no answer within ${formatDuration(check.timeout)}`,
        evidence: { ...base, error: 'timeout' },
      };
    }
    const { code, message } = describeFetchError(e);
    return { ok: false, reason: `${message} at ${check.url}`, evidence: { ...base, error: code } };
  }
}

/** Runs an HTTP check (already rendered) to its outcome. */
export async function runHttpCheck(check: HttpCheck, deps: ResolvedDeps): Promise<KindOutcome<HttpEvidence>> {
  const log = tailBuffer(deps.outputLimit);
  let last: HttpAttempt | undefined;
  const { outcome, attempts } = await runAttempts(check, deps, async (n) => {
    const a = await attemptOnce(check, deps);
    log.append(`attempt ${n}: ${check.method} ${check.url}: ${a.ok ? 'passed' : 'failed'}: ${a.reason}\n`);
    last = a;
    return a;
  });
  if (last?.body) log.append(`--- response body (attempt ${attempts}) ---\n${last.body}\n`);
  return {
    status: outcome.ok ? 'passed' : 'failed',
    reason: attempts > 1 ? `${outcome.reason} (attempt ${attempts} of ${check.retries + 1})` : outcome.reason,
    output: log.text(),
    outputTruncated: log.truncated(),
    attempts,
    evidence: outcome.evidence,
  };
}
