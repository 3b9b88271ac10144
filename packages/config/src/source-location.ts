import { execFile } from 'node:child_process';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A place in a file, 1-based like editors and compilers print it. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Line and column (1-based) of a character offset in `text`. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where a string literal holding exactly `value` is written in TypeScript/JavaScript source:
 * preferably as `key: 'value'`, else anywhere. A name in pipelines as code (a repository, a
 * phase) is almost always such a literal, so this finds the line to blame without running a
 * parser. With `last`, the last such literal (the second of two duplicates). Undefined when
 * the value is built at run time or lives in another file.
 */
export function findLiteral(
  text: string,
  value: string,
  key?: string,
  last = false,
): { line: number; column: number } | undefined {
  const literal = `(['"\`])${escapeRegExp(value)}\\1`;
  const patterns = [
    ...(key ? [new RegExp(`\\b${escapeRegExp(key)}\\s*:\\s*${literal}`, 'g')] : []),
    new RegExp(literal, 'g'),
  ];
  for (const re of patterns) {
    const all = [...text.matchAll(re)];
    const m = last ? all[all.length - 1] : all[0];
    if (m) {
      // point at the literal itself, as the YAML errors point at the value
      const quote = m[1] ?? '';
      return positionAt(text, (m.index ?? 0) + m[0].lastIndexOf(`${quote}${value}${quote}`));
    }
  }
  return undefined;
}

/** `at fn (/path/file.ts:12:5)`, `at /path/file.ts:12:5`, `at file:///path/file.ts:12:5`. */
const FRAME = /^\s*at (?:.*?\()?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/;

function framePath(raw: string): string {
  return raw.startsWith('file://') ? fileURLToPath(raw) : raw;
}

/** A file the user wrote: under the configuration's directory and not an installed package. */
function isUserFile(path: string, dir: string): boolean {
  return path.startsWith(dir + sep) && !path.split(sep).includes('node_modules');
}

/**
 * The place in the user's own files that an error from loading `gantry.config.ts` comes
 * from. The config is compiled (esbuild, see compile-config.ts) with a source map that Node
 * applies to stack traces, so frames already name the user's lines; this picks the innermost
 * frame in the user's files (not in Gantry or another package the config called). It also reads the
 * location esbuild prints for a syntax error and the one V8 prints for a JavaScript one.
 */
export function errorLocation(e: unknown, configFile: string): SourceLocation | undefined {
  const dir = dirname(configFile);
  const err = e as { stack?: unknown; message?: unknown; name?: unknown };
  const message = typeof err?.message === 'string' ? err.message : '';
  const stack = typeof err?.stack === 'string' ? err.stack : '';

  // esbuild: "Transform failed with 1 error:\n/path/file.ts:4:7: ERROR: Expected ..."
  const transform = /^(.+?):(\d+):(\d+): ERROR: /m.exec(message);
  if (transform?.[1]) return { file: transform[1], line: Number(transform[2]), column: Number(transform[3]) };

  // V8's syntax error in plain JavaScript: "/path/file.js:3\n  code\n     ^\n\nSyntaxError: ..."
  const syntax = /^((?:file:\/\/)?\/[^\n]+?):(\d+)\n([^\n]*)\n(\s*)\^/.exec(stack);
  if (syntax?.[1]) {
    return { file: framePath(syntax[1]), line: Number(syntax[2]), column: (syntax[4]?.length ?? 0) + 1 };
  }

  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (!m?.[1]) continue;
    const path = framePath(m[1]);
    if (path === configFile || isUserFile(path, dir)) return { file: path, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** `import ... from 'x'`, `import 'x'`, `import('x')`, `export ... from 'x'`: each specifier with its offset. */
const SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*(['"])([^'"\n]+)\1/g;

/**
 * Where `importer` imports a module Node could not find: `missing` is a package name or the
 * absolute path a relative specifier resolved to, as Node's message gives them.
 */
export function findImport(
  importerText: string,
  importer: string,
  missing: string,
): { line: number; column: number } | undefined {
  for (const m of importerText.matchAll(SPECIFIER)) {
    const spec = m[2] ?? '';
    const matches = spec.startsWith('.')
      ? resolve(dirname(importer), spec) === missing
      : spec === missing || spec.startsWith(`${missing}/`);
    if (matches) return positionAt(importerText, (m.index ?? 0) + m[0].lastIndexOf(`${m[1]}${spec}`));
  }
  return undefined;
}

/**
 * Where a JavaScript file has a syntax error. Node's ESM loader keeps that place out of the
 * error it throws (only its uncaught-exception printer shows it), so ask `node --check`,
 * which prints it; this runs only after a load has already failed.
 */
export function syntaxErrorLocation(file: string): Promise<SourceLocation | undefined> {
  return new Promise((done) => {
    execFile(process.execPath, ['--check', file], { timeout: 10_000 }, (error, _out, stderr) => {
      done(error ? errorLocation({ stack: stderr }, file) : undefined);
    });
  });
}
