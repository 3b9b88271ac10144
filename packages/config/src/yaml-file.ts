import type { ValidationIssue } from '@gantry/core';
import { ValidationError } from '@gantry/core';
import type { CST, Document, YAMLError } from 'yaml';
import { isNode, LineCounter, Parser, parseDocument } from 'yaml';
import { fastYamlToJs } from './fast-yaml.js';

export type PathSegment = string | number;

/** A parsed YAML file that still knows where every value came from. */
export interface YamlFile {
  readonly file: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

/**
 * A YAML file whose document is built on first call: only a problem to place needs it. A file
 * the fast reader declined was parsed with it already. Should the `yaml` library reject a file
 * the fast reader took (fast-yaml.ts declines what the two might read differently), the call
 * throws its syntax errors, as loading did before.
 */
export type LazyYamlFile = () => YamlFile;

/**
 * The plain data of a YAML file and, on demand, its document with every position. Reading to
 * plain data first is ~6x cheaper (fast-yaml.ts); the same data, the same syntax errors.
 */
export async function readYamlFile(file: string, text: string): Promise<{ data: unknown; yaml: LazyYamlFile }> {
  const fast = await fastYamlToJs(text);
  if (fast) {
    let yaml: YamlFile | undefined;
    return { data: fast.value, yaml: () => (yaml ??= parseYamlFile(file, text)) };
  }
  const yaml = parseYamlFile(file, text);
  return { data: yaml.doc.toJS(), yaml: () => yaml };
}

/** `pipelines[0].phases[1].source`: how paths read in messages. */
export function formatPath(path: readonly PathSegment[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(root)';
}

/** Parses YAML; syntax errors become one ValidationError with file:line:column for each. */
export function parseYamlFile(file: string, text: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const openers = unclosedOpeners(text);
    throw new ValidationError(
      file,
      doc.errors.map((e) => {
        const { offset, note } = errorOffset(e, openers);
        const message = `${e.message.split('\n')[0] ?? e.message}${note}`;
        return { path: '(yaml)', message, file, ...lineColumn(lineCounter.linePos(offset)) };
      }),
    );
  }
  return { file, doc, lineCounter };
}

interface Opener {
  readonly kind: 'quote' | 'flow';
  readonly offset: number;
}

/**
 * The yaml library reports an unclosed quote or flow collection where it gave up: after the
 * newline that ends its last line, or at the end of the file. People look for the `"` or
 * `{` that is never closed, so those errors move to where the construct opens.
 */
function errorOffset(e: YAMLError, openers: readonly Opener[]): { offset: number; note: string } {
  const at = e.pos[0];
  const kind = /^Missing closing .?quote/.test(e.message)
    ? 'quote'
    : /^Flow (map|sequence).* end with a [}\]]/.test(e.message)
      ? 'flow'
      : undefined;
  // the nearest unclosed construct of that kind before the error: the innermost one
  const opener = openers.filter((o) => o.kind === kind && o.offset < at).sort((a, b) => b.offset - a.offset)[0];
  if (!opener) return { offset: at, note: '' };
  return { offset: opener.offset, note: kind === 'quote' ? ' (this quote is never closed)' : ' (opened here)' };
}

/** Quoted scalars and flow collections that never close, from the concrete syntax tree. */
function unclosedOpeners(text: string): Opener[] {
  const out: Opener[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const t = node as { type?: string; offset?: number; source?: string; end?: unknown; start?: unknown };
    if ((t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar') && typeof t.source === 'string') {
      const q = t.source[0] ?? '';
      if (t.source.length < 2 || !t.source.trimEnd().endsWith(q)) out.push({ kind: 'quote', offset: t.offset ?? 0 });
    }
    if (t.type === 'flow-collection') {
      const open = (t.start as CST.SourceToken | undefined)?.source;
      const close = open === '{' ? '}' : ']';
      const ends = Array.isArray(t.end) ? (t.end as CST.SourceToken[]) : [];
      if (!ends.some((x) => x.source === close)) out.push({ kind: 'flow', offset: t.offset ?? 0 });
    }
    for (const [key, value] of Object.entries(t)) if (key !== 'source') visit(value);
  };
  visit([...new Parser().parse(text)]);
  return out;
}

function lineColumn(pos: { line: number; col: number } | undefined): { line?: number; column?: number } {
  return pos && pos.line > 0 ? { line: pos.line, column: pos.col } : {};
}

/**
 * The issue for `path`, placed at the nearest node that exists: a missing field points
 * at the mapping that should hold it.
 */
export function issueAt(
  source: YamlFile | LazyYamlFile | undefined,
  path: readonly PathSegment[],
  message: string,
): ValidationIssue {
  const base = { path: formatPath(path), message };
  if (!source) return base;
  const yaml = typeof source === 'function' ? source() : source;
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? yaml.doc.contents : yaml.doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      return { ...base, file: yaml.file, ...lineColumn(yaml.lineCounter.linePos(node.range[0])) };
    }
  }
  return { ...base, file: yaml.file };
}

/** Throws one ValidationError with every issue, if there are any. */
export function throwIfIssues(subject: string, issues: readonly ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(subject, issues);
}
