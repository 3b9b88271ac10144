/*
 * Flux and Argo CD are Go programs: their bodies are what Go's encoding/json.Marshal writes. To
 * send the exact bytes a real controller would (and so the exact bytes an HMAC is computed over),
 * the generators encode the same way:
 *   - struct fields in declaration order (the caller builds objects in that order);
 *   - map keys sorted (Go sorts map[string]… keys; Argo CD's Application is such a map);
 *   - no whitespace;
 *   - "<", ">", "&", U+2028 and U+2029 escaped as \u003c, \u003e, \u0026, \u2028, \u2029.
 */

/** Encodes `value` as Go's json.Marshal would. `sortKeys` sorts the keys of every object (Go maps). */
export function goJson(value: unknown, options: { readonly sortKeys?: boolean } = {}): string {
  const prepared = options.sortKeys ? sortKeysDeep(value) : value;
  return htmlEscape(JSON.stringify(prepared) ?? 'null');
}

/** A Go map[string]string: keys sorted, order of the input irrelevant. */
export function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeysDeep(v)]),
    );
  }
  return value;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

// Outside strings JSON.stringify writes none of these characters, so replacing everywhere is safe.
function htmlEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => ESCAPES[c] ?? c);
}
