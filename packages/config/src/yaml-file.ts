import type { ValidationIssue } from '@gantry/core';
import { ValidationError } from '@gantry/core';
import type { Document } from 'yaml';
import { isNode, LineCounter, parseDocument } from 'yaml';

export type PathSegment = string | number;

/** A parsed YAML file that still knows where every value came from. */
export interface YamlFile {
  readonly file: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
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
    throw new ValidationError(
      file,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { path: '(yaml)', message: e.message.split('\n')[0] ?? e.message, file, ...lineColumn(pos) };
      }),
    );
  }
  return { file, doc, lineCounter };
}

function lineColumn(pos: { line: number; col: number } | undefined): { line?: number; column?: number } {
  return pos && pos.line > 0 ? { line: pos.line, column: pos.col } : {};
}

/**
 * The issue for `path`, placed at the nearest node that exists: a missing field points
 * at the mapping that should hold it.
 */
export function issueAt(yaml: YamlFile | undefined, path: readonly PathSegment[], message: string): ValidationIssue {
  const base = { path: formatPath(path), message };
  if (!yaml) return base;
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
