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
function plainAllowed(value: string, previous: unknown): boolean {
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
  const keyText = file.json || !plainAllowed(key, null) ? JSON.stringify(key) : key;
  const valueText = file.json || !plainAllowed(value, null) ? JSON.stringify(value) : value;
  const pairText = `${keyText}: ${valueText}`;
  const last = map.items[map.items.length - 1];
  const lastKey = last?.key as Node | undefined;
  const lastEnd = ((last?.value as Node | null | undefined) ?? lastKey)?.range?.[1];
  const [mapStart, mapEnd] = map.range ?? [0, 0];
  if (map.flow) {
    if (!lastKey?.range || lastEnd === undefined) {
      const close = content.lastIndexOf('}', mapEnd);
      return { start: close, end: close, text: pairText };
    }
    const multiline = content.slice(mapStart, lastKey.range[0]).includes('\n');
    const text = multiline ? `,\n${indentOf(content, lastKey.range[0])}${pairText}` : `, ${pairText}`;
    return { start: lastEnd, end: lastEnd, text };
  }
  const firstKey = map.items[0]?.key as Node | undefined;
  const indent = indentOf(content, firstKey?.range?.[0] ?? mapStart);
  const end = lastEnd ?? mapEnd;
  if (content[end - 1] === '\n') return { start: end, end, text: `${indent}${pairText}\n` };
  const lineEnd = content.indexOf('\n', end);
  if (lineEnd < 0) return { start: content.length, end: content.length, text: `\n${indent}${pairText}` };
  return { start: lineEnd + 1, end: lineEnd + 1, text: `${indent}${pairText}\n` };
}

/** Spaces up to `offset`'s column (the column of a key, even after `- `). */
function indentOf(content: string, offset: number): string {
  return ' '.repeat(offset - (content.lastIndexOf('\n', offset - 1) + 1));
}
