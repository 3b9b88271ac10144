import { UpdaterError } from '@gantry/core';
import { type Node, parseAllDocuments } from 'yaml';
import { parseBlockYaml } from './block-yaml.js';

/** One document of a file: its root node (what every lookup starts from). */
export interface ParsedDocument {
  readonly contents: Node | null;
}

/** A file parsed for finding nodes; the text itself is what gets edited. */
export interface ParsedFile {
  readonly content: string;
  readonly file: string;
  readonly documents: readonly ParsedDocument[];
  /** JSON files get JSON strings written into them, whatever the node's YAML style. */
  readonly json: boolean;
  /** The 1-based line of an offset in `content`, for error messages. */
  lineOf(offset: number): number;
}

/** `.json` files, and content that opens with `{`, are JSON. */
export function isJson(content: string, file: string): boolean {
  return file.toLowerCase().endsWith('.json') || content.trimStart().startsWith('{');
}

/**
 * The 1-based line of each offset of `content`. Line starts are found once, on the first
 * question: most files are read without any error to report.
 */
export function lineIndex(content: string): (offset: number) => number {
  let starts: number[] | undefined;
  return (offset) => {
    if (starts === undefined) {
      starts = [0];
      for (let i = content.indexOf('\n'); i >= 0; i = content.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Parses every document of a YAML (or JSON, a YAML subset) file, keeping node offsets.
 * `path` is what the updater was looking for, named in the error for text that is not YAML.
 */
export function parseFile(content: string, file: string, path: string): ParsedFile {
  // node ranges are enough to splice; CST tokens (keepSourceTokens) would only cost memory
  const parsed = parseAllDocuments(content);
  const documents = Array.isArray(parsed) ? parsed : [];
  for (const doc of documents) {
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0];
      const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      const reason =
        error.code === 'DUPLICATE_KEY'
          ? `duplicate key "${duplicateKey(content, error.pos[0])}": a value Gantry writes must have one place`
          : (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
      throw new UpdaterError(`not valid YAML${where}: ${reason}`, {
        file,
        path,
        ...(pos ? { line: pos.line, column: pos.col } : {}),
      });
    }
  }
  return { content, file, documents, json: isJson(content, file), lineOf: lineIndex(content) };
}

/**
 * A file in plain block YAML (see `parseBlockYaml`), parsed quickly for reading a value; `undefined`
 * when it is written any other way, and the caller parses it with `parseFile`. Reads only: what an
 * updater writes, and any error it reports, comes from `parseFile`'s full parse.
 */
export function parseBlockFile(content: string, file: string): ParsedFile | undefined {
  if (isJson(content, file)) return undefined;
  const root = parseBlockYaml(content);
  return root && { content, file, documents: [{ contents: root }], json: false, lineOf: lineIndex(content) };
}

/** The key written at `offset` (up to its colon), for the duplicate key message. */
function duplicateKey(content: string, offset: number): string {
  const end = content.indexOf('\n', offset);
  const rest = content.slice(offset, end < 0 ? undefined : end);
  const m = /^\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^:#]+?))\s*:/.exec(rest);
  return (m?.[1] ?? m?.[2] ?? m?.[3] ?? rest).trim();
}
