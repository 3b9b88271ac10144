import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname } from 'node:path';
import type { ValidationIssue } from '@gantry/core';
import type * as TS from 'typescript';
import { checkedCleanBefore, rememberCleanCheck, sha256, typescriptVersion } from './typecheck-cache.js';

/** What type-checking the pipelines file found, or why it did not happen. */
export type TypecheckResult =
  | {
      readonly kind: 'checked';
      readonly file: string;
      /** Which compiler checked it: the user's project's, else Gantry's own. */
      readonly typescript: { readonly version: string; readonly path: string };
      /** Which compiler options: the tsconfig.json that includes the file, or Gantry's defaults. */
      readonly tsconfig: string | undefined;
      /** Errors in the pipelines file and the project files it imports, each `file:line:col [TSxxxx] message`. */
      readonly issues: readonly ValidationIssue[];
      /** Answered from the cache: checked clean before, and no file it read has changed since. */
      readonly cached: boolean;
    }
  | { readonly kind: 'skipped'; readonly file: string; readonly reason: string };

export interface TypecheckOptions {
  /**
   * Where to resolve `typescript` from, in order. Default: the pipelines file (the user's
   * project), then this package (Gantry's own).
   */
  readonly resolveFrom?: readonly string[];
  /**
   * Remember a clean check, and answer from it while no file it read changes (default true):
   * `gantry validate` then costs reading those files, not a compiler run.
   */
  readonly cache?: boolean;
}

type TypeScript = typeof TS;

/** Set (true) by the `gantry` package's build: the code runs from its dist/ directory. */
declare const __GANTRY_BUNDLE__: boolean | undefined;

/**
 * From the repository's sources (not the published package), `gantry` is its sources too: the
 * export condition the repository's CLI and tsconfig use, where module resolution has conditions.
 */
function sourceConditions(ts: TypeScript, options: TS.CompilerOptions): TS.CompilerOptions {
  if (typeof __GANTRY_BUNDLE__ !== 'undefined' && __GANTRY_BUNDLE__) return {};
  const kind = options.moduleResolution;
  const { Bundler, Node16, NodeNext } = ts.ModuleResolutionKind;
  if (kind !== Bundler && kind !== Node16 && kind !== NodeNext) return {};
  return { customConditions: [...(options.customConditions ?? []), '@gantry/source'] };
}

/** The compiler to use, found (not loaded): the first place that has one. */
function findTypescript(from: readonly string[]): { path: string; version: string | undefined } | undefined {
  for (const base of from) {
    // not installed there: try the next place
    const path = resolvesFrom(base, 'typescript');
    if (path) return { path, version: typescriptVersion(path) };
  }
  return undefined;
}

function resolvesFrom(base: string, id: string): string | undefined {
  try {
    return createRequire(base).resolve(id);
  } catch {
    return undefined;
  }
}

/**
 * Node's types from Gantry's own install, for a project that has none: the file always runs
 * in Node, so `process.env` must not be an error merely because @types/node is not beside it.
 */
function gantryNodeTypes(): TS.CompilerOptions | undefined {
  const own = resolvesFrom(import.meta.url, '@types/node/package.json');
  return own ? { types: ['node'], typeRoots: [dirname(dirname(own))] } : undefined;
}

/** "Cannot find name 'process'. Do you need to install type definitions for node?" and its kin. */
const wantsNodeTypes = (d: TS.Diagnostic) =>
  d.code === 2580 || d.code === 2591 || (d.code === 2307 && /'node:/.test(String(d.messageText)));

/**
 * What `tsc` would say with no tsconfig, minus what costs time and does not apply: the file
 * runs in Node, so no DOM library (the largest part of the default one).
 */
function defaultOptions(ts: TypeScript): TS.CompilerOptions {
  return {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    esModuleInterop: true,
  };
}

/** The options of the tsconfig.json that includes `file` (as an editor picks it), if there is one. */
function projectOptions(ts: TypeScript, file: string): { options: TS.CompilerOptions; path: string } | undefined {
  const path = ts.findConfigFile(dirname(file), ts.sys.fileExists);
  if (!path) return undefined;
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => {},
    },
  );
  if (!parsed?.fileNames.some((f) => f === file)) return undefined;
  return { options: parsed.options, path };
}

function issueOf(ts: TypeScript, d: TS.Diagnostic, fallbackFile: string): ValidationIssue {
  const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  if (!d.file || d.start === undefined) return { path: `TS${d.code}`, message, file: fallbackFile };
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return { path: `TS${d.code}`, message, file: d.file.fileName, line: line + 1, column: character + 1 };
}

/**
 * Type-checks `gantry.config.ts` with the TypeScript compiler, when one can be found: only
 * that file's program, without emitting, without checking libraries' declarations, and
 * reporting only the errors of the user's own files (the config and the project files it
 * imports, not installed packages), which is what the user can fix and keeps it fast.
 */
export function typecheckPipelinesFile(file: string, options: TypecheckOptions = {}): TypecheckResult {
  if (!['.ts', '.mts', '.cts'].includes(extname(file))) {
    return { kind: 'skipped', file, reason: `${file} is JavaScript; only TypeScript is type-checked` };
  }
  const from = options.resolveFrom ?? [file, import.meta.url];
  const found = findTypescript(from);
  if (!found) {
    return {
      kind: 'skipped',
      file,
      reason: 'TypeScript is not installed (npm install --save-dev typescript beside it to have it type-checked)',
    };
  }
  const { path, version } = found;
  // clean before, and nothing it read has changed: the compiler need not even be loaded
  const before =
    version !== undefined && options.cache !== false ? checkedCleanBefore(file, { path, version }) : undefined;
  if (before && version !== undefined) {
    return {
      kind: 'checked',
      file,
      typescript: { version, path },
      tsconfig: before.project ?? undefined,
      issues: [],
      cached: true,
    };
  }
  // before the compiler reads anything: a file changed after this keeps no stat in the cache
  const readAt = Date.now();
  const ts = createRequire(path)(path) as TypeScript;
  const project = projectOptions(ts, file);
  const base = project?.options ?? defaultOptions(ts);
  const compilerOptions: TS.CompilerOptions = {
    ...base,
    ...sourceConditions(ts, base),
    // only diagnostics: nothing written, no incremental state, no declarations checked
    noEmit: true,
    skipLibCheck: true,
    incremental: false,
    composite: false,
    declaration: false,
    emitDeclarationOnly: false,
  };
  const host = ts.createCompilerHost(compilerOptions);
  // automatic @types and relative lookups start at the user's project, not wherever gantry runs
  host.getCurrentDirectory = () => dirname(file);
  // a second program (with Node's types) reuses what the first one parsed
  const parsed = new Map<string, TS.SourceFile | undefined>();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, ...rest) => {
    if (!parsed.has(name)) parsed.set(name, getSourceFile(name, ...rest));
    return parsed.get(name);
  };
  let checked = ownDiagnostics(ts, file, compilerOptions, host);
  // Node's types cost a third more to load: only when the project needs them and has none
  const nodeTypes = !project && checked.diagnostics.some(wantsNodeTypes) ? gantryNodeTypes() : undefined;
  if (nodeTypes) checked = ownDiagnostics(ts, file, { ...compilerOptions, ...nodeTypes }, host);
  const issues = checked.diagnostics
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => issueOf(ts, d, file));
  if (issues.length === 0 && options.cache !== false) {
    rememberCleanCheck(file, { path, version: ts.version }, project?.path, readFiles(checked.program, project), readAt);
  }
  return {
    kind: 'checked',
    file,
    typescript: { version: ts.version, path },
    tsconfig: project?.path,
    issues,
    cached: false,
  };
}

/** Every file a check read, but the compiler's own libraries: its program's sources and the tsconfig files. */
function readFiles(program: TS.Program, project: { options: TS.CompilerOptions; path: string } | undefined) {
  const files: Record<string, string> = {};
  for (const f of program.getSourceFiles()) {
    if (!program.isSourceFileDefaultLibrary(f)) files[f.fileName] = sha256(f.text);
  }
  const configFile = project?.options.configFile as { extendedSourceFiles?: readonly string[] } | undefined;
  for (const tsconfig of project ? [project.path, ...(configFile?.extendedSourceFiles ?? [])] : []) {
    files[tsconfig] = sha256(readFileSync(tsconfig));
  }
  return files;
}

/** The diagnostics of the user's own files: the config and what it imports from its project, not packages. */
function ownDiagnostics(
  ts: TypeScript,
  file: string,
  options: TS.CompilerOptions,
  host: TS.CompilerHost,
): { diagnostics: readonly TS.Diagnostic[]; program: TS.Program } {
  const program = ts.createProgram({ rootNames: [file], options, host });
  const projectDir = `${dirname(file)}/`;
  const own = program
    .getSourceFiles()
    .filter(
      (f) =>
        f.fileName === file ||
        (!f.isDeclarationFile && f.fileName.startsWith(projectDir) && !f.fileName.includes('/node_modules/')),
    );
  return {
    diagnostics: own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
    program,
  };
}
