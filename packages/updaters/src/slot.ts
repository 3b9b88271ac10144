import { isAlias, isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { ParsedFile } from './document.js';
import { updaterError, type Where } from './fail.js';
import { type Edit, replaceScalar, scalarText } from './splice.js';

/**
 * One value in a file, wherever it is (a YAML scalar, an HCL or CUE string, a line after a
 * marker): what it holds, where, and the edit that sets it. Codecs (images, versions,
 * commits) work on slots, so every file format shares one reading of versions.
 */
export interface Slot {
  /** The value as text; `undefined` when empty (`key:`, `""`, `~`). */
  readonly text: string | undefined;
  readonly where: Where & { readonly line: number };
  /** The edit that sets the value, in the quoting it has; `undefined` when it already holds it. */
  set(value: string): Edit | undefined;
}

/**
 * The slot of a YAML node. The node must be one value of its own: an alias would write
 * through to its anchor, and an anchored value would change every alias of it, so both
 * are errors naming the line.
 */
export function yamlSlot(file: ParsedFile, node: Node | null, path: string, near?: number): Slot {
  const line = file.lineOf(node?.range?.[0] ?? near ?? 0);
  const where = { file: file.file, path, line };
  if (isAlias(node)) {
    throw updaterError(
      where,
      `found the alias *${node.source}, not a value of its own: writing it would change its anchor`,
    );
  }
  if (!isScalar(node)) {
    const what = isMap(node) ? 'a map' : isSeq(node) ? 'a list' : 'nothing';
    throw updaterError(where, `expected a single value, found ${what}`);
  }
  if (node.anchor) {
    throw updaterError(
      where,
      `the value carries the anchor &${node.anchor}: writing it would change every alias of it too; give this place its own value`,
    );
  }
  const scalar: Scalar = node;
  return { text: scalarText(scalar), where, set: (value) => replaceScalar(file, scalar, value) };
}
