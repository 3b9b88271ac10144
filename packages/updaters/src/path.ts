import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';

/**
 * One step of a path: a map key (`spec`), a sequence index (`[0]`), or the sequence item
 * whose field equals a value (`[name=app]`, how Kubernetes lists are addressed).
 */
export type Segment =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'match'; readonly field: string; readonly value: string };

const PLAIN_KEY = /^[^.[\]"=]+$/;

/** Parses `a.b[0].c`, `spec.containers[name=app].image`, `labels["app.kubernetes.io/name"]`. */
export function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new TypeError(`invalid path "${path}" at ${i}: ${why}`);
  };
  while (i < path.length) {
    const c = path[i];
    if (c === '[') {
      const close = path[i + 1] === '"' ? closingQuote(path, i + 1) + 1 : path.indexOf(']', i);
      if (close <= i || path[close] !== ']') fail('unclosed [');
      const inner = path.slice(i + 1, close);
      if (inner.startsWith('"')) segments.push({ kind: 'key', key: JSON.parse(inner) as string });
      else if (/^\d+$/.test(inner)) segments.push({ kind: 'index', index: Number(inner) });
      else {
        const eq = inner.indexOf('=');
        if (eq <= 0) fail(`expected [N], [field=value] or ["key"], got [${inner}]`);
        segments.push({ kind: 'match', field: inner.slice(0, eq), value: inner.slice(eq + 1) });
      }
      i = close + 1;
    } else if (c === '.') {
      if (i === 0 || i === path.length - 1 || path[i + 1] === '.' || path[i + 1] === '[') fail('empty key');
      i += 1;
    } else {
      let end = i;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end += 1;
      segments.push({ kind: 'key', key: path.slice(i, end) });
      i = end;
    }
  }
  if (segments.length === 0) fail('empty path');
  return segments;
}

function closingQuote(path: string, open: number): number {
  for (let j = open + 1; j < path.length; j += 1) {
    if (path[j] === '\\') j += 1;
    else if (path[j] === '"') return j;
  }
  return -1;
}

/** The reverse of `parsePath`; the form used in error messages. */
export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (s.kind === 'index') out += `[${s.index}]`;
    else if (s.kind === 'match') out += `[${s.field}=${s.value}]`;
    else if (!PLAIN_KEY.test(s.key)) out += `[${JSON.stringify(s.key)}]`;
    else out += out === '' ? s.key : `.${s.key}`;
  }
  return out;
}

/** A map's value for `key`, comparing keys as text (`1` and `"1"` are the same key). */
export function mapGet(map: YAMLMap, key: string): Node | null | undefined {
  for (const pair of map.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return (pair.value as Node | null) ?? null;
  }
  return undefined;
}

/** The scalar keys of a map, for "known keys" in error messages. */
export function mapKeys(map: YAMLMap): string[] {
  return map.items.flatMap((p) => (isScalar(p.key) ? [String(p.key.value)] : []));
}

/** The values of `field` in a sequence of maps: the container names of `containers`, say. */
export function seqFieldValues(node: Node, field: string): string[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((item) => {
    const v = isMap(item) ? mapGet(item, field) : undefined;
    return isScalar(v) ? [String(v.value)] : [];
  });
}

export type Lookup =
  | { readonly found: true; readonly node: Node | null }
  /**
   * `depth` segments resolved; `known` lists what was there instead (keys, names, length);
   * `at` is the node the walk stopped at (its line goes in the error).
   */
  | { readonly found: false; readonly depth: number; readonly known: readonly string[]; readonly at: Node | null };

/** Walks `segments` from `root`. A key present with an empty value is found with `node: null`. */
export function lookup(root: Node | null, segments: readonly Segment[]): Lookup {
  let node: Node | null = root;
  for (const [depth, s] of segments.entries()) {
    const next = step(node, s);
    if (next.node === undefined) return { found: false, depth, known: next.known, at: node };
    node = next.node;
  }
  return { found: true, node };
}

/** A step that found its node lists nothing: what was there instead is for the error of one that did not. */
const NONE: string[] = [];

function step(node: Node | null, s: Segment): { node: Node | null | undefined; known: string[] } {
  if (s.kind === 'key') {
    if (!isMap(node)) return { node: undefined, known: [] };
    const found = mapGet(node, s.key);
    return { node: found, known: found === undefined ? mapKeys(node) : NONE };
  }
  if (!isSeq(node)) return { node: undefined, known: [] };
  if (s.kind === 'index') {
    const at = (node.items[s.index] as Node | null | undefined) ?? undefined;
    return { node: at, known: at === undefined ? [`${node.items.length} items`] : NONE };
  }
  const item = node.items.find((it) => {
    const v = isMap(it) ? mapGet(it, s.field) : undefined;
    return isScalar(v) && String(v.value) === s.value;
  });
  return item === undefined
    ? { node: undefined, known: seqFieldValues(node, s.field) }
    : { node: item as Node, known: NONE };
}
