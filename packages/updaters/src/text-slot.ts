import type { Where } from './fail.js';
import { updaterError } from './fail.js';
import type { Slot } from './slot.js';
import { plainAllowed } from './splice.js';

/** How the value between `start` and `end` is written: as is, or as a quoted string literal. */
export type Quoting = 'raw' | 'yaml' | 'string';

/**
 * A slot over raw text (an HCL or CUE string, a value on a marked line). `string`: a
 * double-quoted literal with JSON-style escapes (HCL, CUE, JSON); `yaml`: a YAML scalar in
 * the quoting it has; `raw`: the characters as they are.
 */
export function textSlot(
  content: string,
  start: number,
  end: number,
  quoting: Quoting,
  where: Where & { line: number },
): Slot {
  const source = content.slice(start, end);
  const text = decode(source, quoting, where);
  return {
    text: text === '' ? undefined : text,
    where,
    set(value) {
      if (value === text) return undefined;
      return { start, end, text: encode(value, source, quoting) };
    },
  };
}

function decode(source: string, quoting: Quoting, where: Where): string {
  if (quoting === 'raw') return source;
  if (quoting === 'yaml' && source.startsWith("'")) return source.slice(1, -1).replaceAll("''", "'");
  if (source.startsWith('"')) {
    try {
      return JSON.parse(source) as string;
    } catch {
      throw updaterError(where, `${source} is a string Gantry cannot read (an escape it does not know)`);
    }
  }
  return source;
}

function encode(value: string, source: string, quoting: Quoting): string {
  if (quoting === 'raw') return value;
  if (quoting === 'string') return JSON.stringify(value);
  if (source.startsWith("'") && !/[\n\r]/.test(value)) return `'${value.replaceAll("'", "''")}'`;
  if (source.startsWith('"')) return JSON.stringify(value);
  return plainAllowed(value, source === '' ? null : typeof source) ? value : JSON.stringify(value);
}
