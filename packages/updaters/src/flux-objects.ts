import { isMap, type Node, type YAMLMap } from 'yaml';
import type { ParsedFile } from './document.js';
import { listed, updaterError } from './fail.js';
import { documentLabel, findIn } from './locate.js';
import { mapGet, type Segment } from './path.js';
import { type Slot, yamlSlot } from './slot.js';

/** One Kubernetes object of a (multi-document) file. */
export interface FileObject {
  readonly root: YAMLMap;
  readonly kind: string;
  readonly name: string;
  readonly line: number;
}

/** The objects of the file whose kind is one of `kinds`. */
export function objectsOf(file: ParsedFile, kinds: readonly string[]): FileObject[] {
  return file.documents.flatMap((doc) => {
    const root = doc.contents as Node | null;
    if (!isMap(root)) return [];
    const label = documentLabel(root);
    if (label.kind === undefined || !kinds.includes(label.kind)) return [];
    return [{ root, kind: label.kind, name: label.name ?? '(unnamed)', line: file.lineOf(root.range?.[0] ?? 0) }];
  });
}

/**
 * The one object of `kind` in the file (by `metadata.name` when given). None, or several
 * without a name to choose by, is an error listing what the file has.
 */
export function oneObject(file: ParsedFile, kind: string, name: string | undefined, path: string): FileObject {
  const all = objectsOf(file, [kind]);
  const chosen = name === undefined ? all : all.filter((o) => o.name === name);
  const names = all.map((o) => o.name);
  if (chosen.length === 1) return chosen[0] as FileObject;
  if (chosen.length === 0) {
    const kinds = file.documents.map((d) => documentLabel(d.contents as Node | null).kind ?? '(no kind)');
    throw updaterError(
      { file: file.file, path, line: 1, found: names.length > 0 ? names : kinds },
      `no ${kind}${name ? ` named "${name}"` : ''}; ${kind}s: ${listed(names)} (kinds in the file: ${listed(kinds)})`,
    );
  }
  throw updaterError(
    { file: file.file, path, line: (chosen[1] as FileObject).line, found: names },
    `several ${kind}s (${names.join(', ')}); choose one by name`,
  );
}

const key = (k: string): Segment => ({ kind: 'key', key: k });
export const keys = (...ks: string[]): Segment[] => ks.map(key);

/** The map at `segments` of an object, or an error naming what is there instead. */
export function mapAt(file: ParsedFile, o: FileObject, segments: Segment[], path: string): YAMLMap {
  const node = findIn(file, o.root, segments);
  if (isMap(node)) return node;
  throw updaterError({ file: file.file, path, line: file.lineOf(node?.range?.[0] ?? o.line) }, 'expected a map');
}

/** A field of a map as a slot, or `undefined` when the map has no such key. */
export function fieldOf(file: ParsedFile, map: YAMLMap, name: string, path: string): Slot | undefined {
  const node = mapGet(map, name);
  return node === undefined ? undefined : yamlSlot(file, node, `${path}.${name}`, map.range?.[0]);
}
