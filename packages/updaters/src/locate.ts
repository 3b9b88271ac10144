import { UpdaterError } from '@gantry/core';
import { isAlias, isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { ParsedFile } from './document.js';
import { formatPath, type Lookup, lookup, type Segment } from './path.js';

type Miss = Extract<Lookup, { found: false }>;

/** Why a path was not found, in words: what was missing and what was there instead. */
export function describeMiss(segments: readonly Segment[], miss: Miss): string {
  const at = formatPath(segments.slice(0, miss.depth)) || 'the document root';
  const s = segments[miss.depth];
  const list = miss.known.length > 0 ? miss.known.join(', ') : '(none)';
  if (s === undefined) return `nothing at ${at}`;
  if (s.kind === 'key')
    return miss.known.length > 0 ? `no key "${s.key}" in ${at}; keys there: ${list}` : `${at} is not a map`;
  if (s.kind === 'match') return `no item with ${s.field}=${s.value} in ${at}; ${s.field}s there: ${list}`;
  return `no item [${s.index}] in ${at} (${list})`;
}

/** The node at a path must be a single value: a map or a list cannot be written as text. */
export function expectScalar(file: ParsedFile, node: Node | null, path: string): Scalar {
  if (isScalar(node)) return node;
  // writing through an alias would change every place that shares its anchor
  if (isAlias(node))
    throw new UpdaterError(`found the alias *${node.source}, not a value of its own`, { file: file.file, path });
  const what = isMap(node) ? 'a map' : isSeq(node) ? 'a list' : 'nothing';
  throw new UpdaterError(`expected a single value, found ${what}`, { file: file.file, path });
}

/**
 * The node at `segments` in the first document of the file that has it. The error names
 * the path and, from the document that came closest, what was there instead.
 */
export function findNode(file: ParsedFile, segments: readonly Segment[]): Node | null {
  let closest: Miss | undefined;
  for (const doc of file.documents) {
    const hit = lookup(doc.contents as Node | null, segments);
    if (hit.found) return hit.node;
    if (closest === undefined || hit.depth > closest.depth) closest = hit;
  }
  const why = closest ? describeMiss(segments, closest) : 'the file has no YAML document';
  throw new UpdaterError(why, { file: file.file, path: formatPath(segments) });
}

/** The node at `segments` under `root` (one document), or an error saying what was there instead. */
export function findIn(file: ParsedFile, root: Node | null, segments: readonly Segment[]): Node | null {
  const hit = lookup(root, segments);
  if (hit.found) return hit.node;
  throw new UpdaterError(describeMiss(segments, hit), { file: file.file, path: formatPath(segments) });
}

/** `findNode` for a single value. */
export function findScalar(file: ParsedFile, segments: readonly Segment[]): Scalar {
  return expectScalar(file, findNode(file, segments), formatPath(segments));
}
