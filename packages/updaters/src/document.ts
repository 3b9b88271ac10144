import { UpdaterError } from '@gantry/core';
import { type Document, parseAllDocuments } from 'yaml';

/** A file parsed for finding nodes; the text itself is what gets edited. */
export interface ParsedFile {
  readonly content: string;
  readonly file: string;
  readonly documents: readonly Document.Parsed[];
  /** JSON files get JSON strings written into them, whatever the node's YAML style. */
  readonly json: boolean;
}

/** `.json` files, and content that opens with `{`, are JSON. */
export function isJson(content: string, file: string): boolean {
  return file.toLowerCase().endsWith('.json') || content.trimStart().startsWith('{');
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
      const reason = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
      throw new UpdaterError(`not valid YAML${where}: ${reason}`, {
        file,
        path,
        ...(pos ? { line: pos.line, column: pos.col } : {}),
      });
    }
  }
  return { content, file, documents, json: isJson(content, file) };
}
