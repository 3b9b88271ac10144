import type { PrometheusSample } from './result.js';

/** What an instant query answered, or why it cannot be used. */
export type QueryAnswer =
  | { readonly ok: true; readonly resultType: 'vector' | 'scalar'; readonly samples: readonly PrometheusSample[] }
  | { readonly ok: false; readonly resultType?: string; readonly error: string };

type Json = Record<string, unknown>;

function sampleValue(pair: unknown): string | undefined {
  return Array.isArray(pair) && typeof pair[1] === 'string' ? pair[1] : undefined;
}

/**
 * Reads the body of `/api/v1/query` (the documented `{status, data: {resultType, result}}`
 * envelope). Matrix and string results are refused: a check compares instant values.
 */
export function parseQueryResponse(httpStatus: number, body: string): QueryAnswer {
  let json: Json;
  try {
    json = JSON.parse(body) as Json;
  } catch {
    // a proxy or the auth layer answered (401, 502...): its first line says why
    const first = body.trim().split('\n')[0]?.slice(0, 200) ?? '';
    const detail = httpStatus >= 400 && first ? `: ${first}` : ' with a body that is not JSON';
    return { ok: false, error: `Prometheus answered HTTP ${httpStatus}${detail}` };
  }
  if (json.status !== 'success') {
    const type = typeof json.errorType === 'string' ? json.errorType : `HTTP ${httpStatus}`;
    const error = typeof json.error === 'string' ? json.error : 'no error message';
    return { ok: false, error: `query failed (${type}): ${error}` };
  }
  const data = (json.data ?? {}) as Json;
  const resultType = typeof data.resultType === 'string' ? data.resultType : undefined;
  if (resultType === 'scalar') {
    const value = sampleValue(data.result);
    if (value === undefined) return { ok: false, resultType, error: 'malformed scalar result' };
    return { ok: true, resultType, samples: [{ labels: {}, value }] };
  }
  if (resultType === 'vector' && Array.isArray(data.result)) {
    const samples: PrometheusSample[] = [];
    for (const s of data.result as Json[]) {
      const value = sampleValue(s.value);
      if (value === undefined) return { ok: false, resultType, error: 'malformed vector sample' };
      samples.push({ labels: (s.metric ?? {}) as Record<string, string>, value });
    }
    return { ok: true, resultType, samples };
  }
  return {
    ok: false,
    ...(resultType ? { resultType } : {}),
    error: `the query returned a ${resultType ?? 'malformed'} result; a check needs an instant vector or scalar`,
  };
}

/** A sample value as Prometheus writes it (`"0.5"`, `"NaN"`, `"+Inf"`) as a number. */
export function parseSampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const n = Number(text);
  return text.trim() === '' ? Number.NaN : n;
}

/** `{job="api", instance="x"}`, for reasons. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}
