import { isScalar, type Node, parseDocument, type Scalar, type YAMLMap } from 'yaml';
import type { ParsedFile } from './document.js';

/** Replace `content[start, end)` with `text`. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Applies edits to the original text, last first so earlier offsets stay valid. */
export function applyEdits(content: string, edits: readonly (Edit | undefined)[]): string {
  // at equal offsets, the later edit goes in first so that the text keeps the given order
  const sorted = edits
    .map((edit, order) => ({ edit, order }))
    .filter((x): x is { edit: Edit; order: number } => x.edit !== undefined)
    .sort((a, b) => b.edit.start - a.edit.start || b.order - a.order);
  let out = content;
  for (const { edit: e } of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * The scalar's value as text: numbers keep their source form (`1.10` stays `1.10`);
 * `undefined` for an empty value (`key:`, `~`, `""`), which holds nothing yet.
 */
export function scalarText(node: Scalar): string | undefined {
  if (node.value === null || node.value === undefined || node.value === '') return undefined;
  if (typeof node.value === 'string') return node.value;
  return node.source ?? String(node.value);
}

/**
 * The edit that sets a scalar to `value`, written in the style the node already has
 * (plain, single or double quoted; a JSON string in JSON files). `undefined` when the
 * value is already there, so a write that changes nothing returns the same string.
 */
export function replaceScalar(file: ParsedFile, node: Scalar, value: string): Edit | undefined {
  if (scalarText(node) === value) return undefined;
  const [start, end] = node.range ?? [0, 0];
  const old = file.content.slice(start, end);
  let text = render(value, node, file.json);
  // a block scalar's range takes its line break with it; the quoted replacement needs one too
  if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && old.endsWith('\n')) text += '\n';
  // `key:` with nothing after it: the value needs a space after the indicator
  if (old === '' && start > 0 && !/\s/.test(file.content[start - 1] ?? ' ')) text = ` ${text}`;
  return { start, end, text };
}

function render(value: string, node: Scalar, json: boolean): string {
  if (json) return typeof node.value === 'number' && isJsonNumber(value) ? value : JSON.stringify(value);
  switch (node.type) {
    case 'QUOTE_SINGLE':
      return /[\n\r]/.test(value) ? JSON.stringify(value) : `'${value.replaceAll("'", "''")}'`;
    case 'PLAIN':
      return plainAllowed(value, node.value) ? value : JSON.stringify(value);
    default:
      return JSON.stringify(value);
  }
}

const isJsonNumber = (text: string): boolean => /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text);

/**
 * Whether `value` can be written unquoted and read back as the same thing: as the same
 * string, or (where the old value was a number, say) as a value of the same type.
 */
export function plainAllowed(value: string, previous: unknown): boolean {
  if (value === '' || value.trim() !== value || /[\n\r\t,[\]{}]/.test(value)) return false;
  const doc = parseDocument(value);
  if (doc.errors.length > 0 || !isScalar(doc.contents) || doc.contents.type !== 'PLAIN') return false;
  const parsed = doc.contents.value;
  if (typeof parsed === 'string') return parsed === value;
  return previous !== null && typeof previous !== 'string' && typeof parsed === typeof previous;
}

/**
 * The edit that adds `key: value` as the last entry of a map, indented like its other
 * keys (block maps) or after a comma (flow maps, JSON objects).
 */
export function insertPair(file: ParsedFile, map: YAMLMap, key: string, value: string): Edit {
  const { content } = file;
  const text = pairText(file, key, value);
  const last = map.items[map.items.length - 1];
  const lastKey = last?.key as Node | undefined;
  const lastEnd = ((last?.value as Node | null | undefined) ?? lastKey)?.range?.[1];
  const [mapStart, mapEnd] = map.range ?? [0, 0];
  if (map.flow) {
    if (!lastKey?.range || lastEnd === undefined) {
      const close = content.lastIndexOf('}', mapEnd);
      return { start: close, end: close, text };
    }
    const multiline = content.slice(mapStart, lastKey.range[0]).includes('\n');
    const sep = multiline ? `,${eolOf(content)}${indentOf(content, lastKey.range[0])}` : ', ';
    return { start: lastEnd, end: lastEnd, text: `${sep}${text}` };
  }
  const firstKey = map.items[0]?.key as Node | undefined;
  const indent = indentOf(content, firstKey?.range?.[0] ?? mapStart);
  const end = lastEnd ?? mapEnd;
  const nl = eolOf(content);
  if (content[end - 1] === '\n') return { start: end, end, text: `${indent}${text}${nl}` };
  const lineEnd = content.indexOf('\n', end);
  if (lineEnd < 0) return { start: content.length, end: content.length, text: `${nl}${indent}${text}` };
  return { start: lineEnd + 1, end: lineEnd + 1, text: `${indent}${text}${nl}` };
}

/** Spaces up to `offset`'s column (the column of a key, even after `- `). */
function indentOf(content: string, offset: number): string {
  return ' '.repeat(offset - (content.lastIndexOf('\n', offset - 1) + 1));
}

/** The file's line ending: CRLF files get CRLF in what is added to them. */
export const eolOf = (content: string): string => (content.includes('\r\n') ? '\r\n' : '\n');

/** `key: value` as a YAML (or JSON) pair, each part quoted only when it must be. */
export function pairText(file: ParsedFile, key: string, value: string): string {
  const keyText = file.json || !plainAllowed(key, null) ? JSON.stringify(key) : key;
  const valueText = file.json || !plainAllowed(value, null) ? JSON.stringify(value) : value;
  return `${keyText}: ${valueText}`;
}

/**
 * The edit that adds `key: value` to a map in key order: before the first key that sorts
 * after it (as tools that write maps sorted, `kustomize edit`, do), else last. A block
 * map's first key keeps its line (in a list item, the one with the dash): a key that
 * sorts before it goes last.
 */
export function insertPairSorted(file: ParsedFile, map: YAMLMap, key: string, value: string): Edit {
  const first = map.items[0]?.key;
  // a key that would go before a block map's first key goes last instead: the first line stays
  if (!map.flow && isScalar(first) && String(first.value) > key) return insertPair(file, map, key, value);
  const next = map.items.find((p) => isScalar(p.key) && String(p.key.value) > key);
  const nextKey = next?.key as Node | undefined;
  if (!nextKey?.range) return insertPair(file, map, key, value);
  const start = nextKey.range[0];
  const text = pairText(file, key, value);
  if (map.flow) return { start, end: start, text: `${text}, ` };
  // before the next key, at its column: after `- ` this keeps the item's dash on the first key
  return { start, end: start, text: `${text}${eolOf(file.content)}${indentOf(file.content, start)}` };
}

/** The edit that removes one pair of a map, with its line (or its comma, in a flow map). */
export function removePair(file: ParsedFile, map: YAMLMap, key: string): Edit | undefined {
  const { content } = file;
  const index = map.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === key);
  const pair = map.items[index];
  const k = pair?.key as Node | undefined;
  if (!pair || !k?.range) return undefined;
  const v = pair.value as Node | null;
  const end = v?.range?.[1] ?? k.range[1];
  const nextKey = map.items[index + 1]?.key as Node | undefined;
  if (map.flow) {
    if (nextKey?.range) return { start: k.range[0], end: nextKey.range[0], text: '' };
    const prev = map.items[index - 1];
    const prevEnd = ((prev?.value as Node | null)?.range ?? (prev?.key as Node | undefined)?.range)?.[1];
    return { start: prevEnd ?? k.range[0], end, text: '' };
  }
  const lineStart = content.lastIndexOf('\n', k.range[0] - 1) + 1;
  const beforeKey = content.slice(lineStart, k.range[0]);
  // the first key of a list item (`- digest: …`): the next key moves up beside the dash
  if (beforeKey.trim() !== '' && nextKey?.range) return { start: k.range[0], end: nextKey.range[0], text: '' };
  const lineEnd = content.indexOf('\n', Math.max(end - 1, k.range[1]));
  return { start: lineStart, end: lineEnd < 0 ? content.length : lineEnd + 1, text: '' };
}
