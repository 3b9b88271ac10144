import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Pipeline, Resource, SystemDefinition } from '@gantry/core';
import { GantryError, ValidationError } from '@gantry/core';
import type { CompiledConfig } from './compile-config.js';
import { compilePipelinesFile } from './compile-config.js';
import type { SourceLocation } from './source-location.js';
import { errorLocation, findImport, positionAt, syntaxErrorLocation } from './source-location.js';
import { gantryVersion, majorOf } from './version.js';

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

/**
 * Where a module Node could not find is imported, from its message ("... imported from /x.mjs").
 * The importer is the compiled config; the import is written in one of the user's files.
 */
async function missingImportLocation(message: string, sources: readonly string[]): Promise<SourceLocation | undefined> {
  const m = /^Cannot find (?:package|module) '([^']+)' imported from (.+)$/m.exec(message);
  if (!m?.[1] || !m[2]) return undefined;
  const importer = m[2].startsWith('file://') ? new URL(m[2]).pathname : m[2];
  for (const file of [importer, ...sources]) {
    const at = findImport(await readText(file), file, m[1]);
    if (at) return { file, ...at };
  }
  return undefined;
}

/** `file:line:col: ReferenceError: x is not defined`, as compilers print it; the message alone when no line is known. */
async function describeLoadFailure(
  file: string,
  e: unknown,
  sources: readonly string[],
): Promise<{ message: string; at?: SourceLocation }> {
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
      ? await missingImportLocation(text, sources)
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
 * The config's `gantry` must be of this Gantry's major version: pipelines built by another
 * major's model would be misread by this one. Checked only when the config imports `gantry`,
 * against the package that import finds (the project's own install).
 */
function checkGantryVersion(file: string, compiled: CompiledConfig): void {
  if (!compiled.packages.some((p) => p === 'gantry' || p.startsWith('gantry/'))) return;
  let manifest: string;
  try {
    manifest = createRequire(file).resolve('gantry/package.json');
  } catch {
    return; // not installed: the import itself fails, with its own message
  }
  const theirs = (createRequire(file)(manifest) as { version?: string }).version;
  const ours = gantryVersion();
  if (theirs === undefined || majorOf(theirs) === majorOf(ours)) return;
  throw new GantryError(
    'gantry_version_mismatch',
    `${file} imports gantry ${theirs} (${resolve(manifest, '..')}), but this gantry CLI is ${ours}: ` +
      `a different major version. Run the project's own CLI (npx gantry), or install the same major version of both ` +
      `(npm install --save-dev gantry@${majorOf(ours)})`,
    { file, configGantryVersion: theirs, cliGantryVersion: ours },
  );
}

/**
 * Imports `gantry.config.ts` (its default export, as `defineConfig` returns it). The file
 * is the user's TypeScript: compiled with esbuild into a cached module (again only when it
 * changed) and run in this process; it imports `gantry` like any package. A failure names
 * the line in the user's file: where the thrown error comes from (through the module's source
 * map), the syntax error, or the import that cannot be found.
 */
export async function importPipelinesFile(file: string): Promise<Pipeline<Resource>[]> {
  let compiled: CompiledConfig;
  try {
    compiled = await compilePipelinesFile(file);
  } catch (e) {
    throw await loadFailed(file, e, [file]);
  }
  const { sources } = compiled;
  checkGantryVersion(file, compiled);
  let mod: { default?: unknown };
  try {
    // stack traces through the compiled module name the user's lines
    process.setSourceMapsEnabled(true);
    mod = (await import(pathToFileURL(compiled.path).href)) as { default?: unknown };
  } catch (e) {
    throw await loadFailed(file, e, sources);
  }
  let def: unknown;
  try {
    def = typeof mod.default === 'function' ? (mod.default as () => unknown)() : mod.default;
  } catch (e) {
    throw await loadFailed(file, e, sources);
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

async function loadFailed(file: string, e: unknown, sources: readonly string[]): Promise<ConfigLoadError> {
  const { message, at } = await describeLoadFailure(file, e, sources);
  return new ConfigLoadError(file, message, at, { cause: e });
}
