import { isAlias, isMap, isScalar, type Node, type Scalar } from 'yaml';
import type { ParsedFile } from './document.js';
import { listed, updaterError } from './fail.js';
import { formatPath, type Lookup, lookup, mapGet, type Segment } from './path.js';
import { type Slot, yamlSlot } from './slot.js';

type Miss = Extract<Lookup, { found: false }>;

/** Why a path was not found, in words: what was missing and what was there instead. */
export function describeMiss(segments: readonly Segment[], miss: Miss): string {
  const at = formatPath(segments.slice(0, miss.depth)) || 'the document root';
  const s = segments[miss.depth];
  const list = listed(miss.known);
  if (isAlias(miss.at)) return `${at} is the alias *${miss.at.source}; Gantry does not write through aliases`;
  if (s === undefined) return `nothing at ${at}`;
  if (s.kind === 'key')
    return miss.known.length > 0 ? `no key "${s.key}" in ${at}; keys there: ${list}` : `${at} is not a map`;
  if (s.kind === 'match') return `no item with ${s.field}=${s.value} in ${at}; ${s.field}s there: ${list}`;
  return `no item [${s.index}] in ${at} (${list})`;
}

/** Picks documents of a multi-document file by `kind` and `metadata.name`. */
export interface DocumentSelector {
  readonly kind?: string;
  readonly name?: string;
}

/** A document's `kind` and `metadata.name`, for choosing and for error messages. */
export function documentLabel(root: Node | null): { kind?: string; name?: string } {
  if (!isMap(root)) return {};
  const kind = mapGet(root, 'kind');
  const metadata = mapGet(root, 'metadata');
  const name = isMap(metadata) ? mapGet(metadata, 'name') : undefined;
  return {
    ...(isScalar(kind) ? { kind: String(kind.value) } : {}),
    ...(isScalar(name) ? { name: String(name.value) } : {}),
  };
}

const selected = (root: Node | null, select: DocumentSelector | undefined): boolean => {
  if (!select) return true;
  const label = documentLabel(root);
  return (
    (select.kind === undefined || label.kind === select.kind) &&
    (select.name === undefined || label.name === select.name)
  );
};

interface Hit {
  readonly node: Node | null;
  readonly root: Node | null;
  readonly index: number;
}

/**
 * The node at `segments`, in the one document of the file that has it. Several documents
 * having it is an error naming them (choose one by kind and name); none, an error saying
 * what the closest document had instead, at its line.
 */
export function findOne(file: ParsedFile, segments: readonly Segment[], select?: DocumentSelector): Hit {
  const path = formatPath(segments);
  const hits: Hit[] = [];
  let closest: Miss | undefined;
  file.documents.forEach((doc, index) => {
    const root = doc.contents as Node | null;
    if (!selected(root, select)) return;
    const hit = lookup(root, segments);
    if (hit.found) hits.push({ node: hit.node, root, index });
    else if (closest === undefined || hit.depth > closest.depth) closest = hit;
  });
  if (hits.length === 1) return hits[0] as Hit;
  if (hits.length > 1) {
    const docs = hits.map((h) => {
      const l = documentLabel(h.root);
      return `document ${h.index + 1}${l.kind ? ` (${l.kind}${l.name ? ` ${l.name}` : ''})` : ''} at line ${file.lineOf(h.node?.range?.[0] ?? 0)}`;
    });
    throw updaterError(
      { file: file.file, path, line: file.lineOf(hits[0]?.node?.range?.[0] ?? 0), found: docs },
      `${path} is in ${hits.length} documents (${docs.join('; ')}); choose one by kind and name`,
    );
  }
  const which = select
    ? ` in documents with${select.kind ? ` kind ${select.kind}` : ''}${select.name ? ` name ${select.name}` : ''}`
    : '';
  if (closest === undefined) {
    const kinds = file.documents.map((d) => documentLabel(d.contents as Node | null).kind ?? '(no kind)');
    throw updaterError(
      { file: file.file, path, found: kinds },
      file.documents.length === 0
        ? 'the file has no YAML document'
        : `no document${which}; kinds in the file: ${listed(kinds)}`,
    );
  }
  throw updaterError(
    { file: file.file, path, line: file.lineOf(closest.at?.range?.[0] ?? 0), found: closest.known },
    describeMiss(segments, closest) + which,
  );
}

/** The slot at `segments` in the one document that has it. */
export function findSlot(file: ParsedFile, segments: readonly Segment[], select?: DocumentSelector): Slot {
  const hit = findOne(file, segments, select);
  return yamlSlot(file, hit.node, formatPath(segments));
}

/** The node at `segments` in the first document that has it (for updaters that pick documents themselves). */
export function findNode(file: ParsedFile, segments: readonly Segment[]): Node | null {
  return findOne(file, segments).node;
}

/** The node at `segments` under `root` (one document), or an error saying what was there instead. */
export function findIn(file: ParsedFile, root: Node | null, segments: readonly Segment[]): Node | null {
  const hit = lookup(root, segments);
  if (hit.found) return hit.node;
  throw updaterError(
    { file: file.file, path: formatPath(segments), line: file.lineOf(hit.at?.range?.[0] ?? 0), found: hit.known },
    describeMiss(segments, hit),
  );
}

/** The node at a path must be a single value: a map or a list cannot be written as text. */
export function expectScalar(file: ParsedFile, node: Node | null, path: string): Scalar {
  yamlSlot(file, node, path);
  return node as Scalar;
}
