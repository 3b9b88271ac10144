import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Pipeline, Resource, SystemDefinition } from '@gantry/core';
import { GantryError, ValidationError } from '@gantry/core';
import type { SourceLocation } from './source-location.js';
import { errorLocation, findImport, positionAt, syntaxErrorLocation } from './source-location.js';

const DEFAULT_FILES = ['gantry.config.ts', 'gantry.config.mts', 'gantry.config.js', 'gantry.config.mjs'];

/** The pipelines-as-code file: the configured one, or `gantry.config.ts` beside gantry.yaml. */
export function findPipelinesFile(dir: string, configured: string | undefined): string | undefined {
  if (configured !== undefined) {
    const path = resolve(dir, configured);
    if (!existsSync(path)) {
      throw new GantryError('config_not_found', `pipelinesFile ${path} does not exist`, { path });
    }
    return path;
  }
  return DEFAULT_FILES.map((f) => resolve(dir, f)).find((p) => existsSync(p));
}

function isPipeline(value: unknown): value is Pipeline<Resource> {
  const v = value as Partial<Pipeline<Resource>> | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && Array.isArray(v.phases);
}

const readText = (file: string) => readFile(file, 'utf8').catch(() => '');

/** Where a module Node could not find is imported, from its message ("... imported from /x.ts"). */
async function missingImportLocation(message: string): Promise<SourceLocation | undefined> {
  const m = /^Cannot find (?:package|module) '([^']+)' imported from (.+)$/m.exec(message);
  if (!m?.[1] || !m[2]) return undefined;
  const importer = m[2].startsWith('file://') ? new URL(m[2]).pathname : m[2];
  const at = findImport(await readText(importer), importer, m[1]);
  return at ? { file: importer, ...at } : undefined;
}

/** `file:line:col: ReferenceError: x is not defined`, as compilers print it; the message alone when no line is known. */
async function describeLoadFailure(file: string, e: unknown): Promise<{ message: string; at?: SourceLocation }> {
  const cause = e as Error & { code?: string };
  const text = String(cause?.message ?? e);
  const esbuild = /^.+?:\d+:\d+: ERROR: (.*)$/m.exec(text);
  const message = esbuild?.[1] ?? text.split('\n')[0] ?? text;
  const hint =
    cause?.code === 'ERR_MODULE_NOT_FOUND' && /'gantry'/.test(text)
      ? ' (install the gantry package beside it: npm install gantry)'
      : '';
  const kind = cause?.name && cause.name !== 'Error' && !esbuild ? `${cause.name}: ` : '';
  const at =
    cause?.code === 'ERR_MODULE_NOT_FOUND'
      ? await missingImportLocation(text)
      : (errorLocation(e, file) ?? (cause?.name === 'SyntaxError' ? await syntaxErrorLocation(file) : undefined));
  return { message: `${kind}${message}${hint}`, ...(at ? { at } : {}) };
}

/** `file:line:col` of a location. */
export const formatLocation = (at: SourceLocation) => `${at.file}:${at.line}:${at.column}`;

/** The default export's line, for "the default export is not what Gantry expects". */
async function defaultExportIssue(file: string, message: string): Promise<ValidationError> {
  const text = await readText(file);
  const i = text.search(/\bexport\s+default\b/);
  return new ValidationError(file, [{ path: 'default', message, file, ...(i >= 0 ? positionAt(text, i) : {}) }]);
}

/**
 * Imports `gantry.config.ts` (its default export, as `defineConfig` returns it). The file
 * runs in this process, so TypeScript is compiled on the fly by the loader the CLI runs
 * under (tsx); it imports `gantry` like any package. A failure names the line in the
 * user's file: where the thrown error comes from, or the import that cannot be found.
 */
export async function importPipelinesFile(file: string): Promise<Pipeline<Resource>[]> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (e) {
    throw await loadFailed(file, e);
  }
  let def: unknown;
  try {
    def = typeof mod.default === 'function' ? (mod.default as () => unknown)() : mod.default;
  } catch (e) {
    throw await loadFailed(file, e);
  }
  const pipelines = (def as Partial<SystemDefinition> | undefined)?.pipelines;
  if (!Array.isArray(pipelines)) {
    throw await defaultExportIssue(file, 'default export must be defineConfig({ pipelines: [...] })');
  }
  const bad = pipelines.findIndex((p) => !isPipeline(p));
  if (bad >= 0) {
    throw new ValidationError(file, [
      { path: `pipelines[${bad}]`, message: 'not a pipeline (use pipeline({...}) or definePipeline)', file },
    ]);
  }
  return pipelines as Pipeline<Resource>[];
}

/**
 * `gantry.config.ts` could not be loaded: it threw, does not compile, or imports what is not
 * there. The message leads with `file:line:col` of the user's line when one is known.
 */
export class ConfigLoadError extends GantryError {
  /** What went wrong, without the location. */
  readonly reason: string;
  readonly at: SourceLocation | undefined;
  constructor(file: string, reason: string, at: SourceLocation | undefined, options?: ErrorOptions) {
    super(
      'config_load_failed',
      `${at ? formatLocation(at) : file}: ${reason}`,
      at ? { file: at.file, line: at.line, column: at.column } : { file },
      options,
    );
    this.reason = reason;
    this.at = at;
  }
}

async function loadFailed(file: string, e: unknown): Promise<ConfigLoadError> {
  const { message, at } = await describeLoadFailure(file, e);
  return new ConfigLoadError(file, message, at, { cause: e });
}
