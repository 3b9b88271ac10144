import { createRequire } from 'node:module';
import { dirname, extname } from 'node:path';
import type { ValidationIssue } from '@gantry/core';
import type * as TS from 'typescript';

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
    }
  | { readonly kind: 'skipped'; readonly file: string; readonly reason: string };

export interface TypecheckOptions {
  /**
   * Where to resolve `typescript` from, in order. Default: the pipelines file (the user's
   * project), then this package (Gantry's own).
   */
  readonly resolveFrom?: readonly string[];
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

function loadTypescript(from: readonly string[]): { ts: TypeScript; path: string } | undefined {
  for (const base of from) {
    // not installed there: try the next place
    const path = resolvesFrom(base, 'typescript');
    if (path) return { ts: createRequire(base)(path) as TypeScript, path };
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
  const loaded = loadTypescript(from);
  if (!loaded) {
    return {
      kind: 'skipped',
      file,
      reason: 'TypeScript is not installed (npm install --save-dev typescript beside it to have it type-checked)',
    };
  }
  const { ts, path } = loaded;
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
  let diagnostics = ownDiagnostics(ts, file, compilerOptions, host);
  // Node's types cost a third more to load: only when the project needs them and has none
  const nodeTypes = !project && diagnostics.some(wantsNodeTypes) ? gantryNodeTypes() : undefined;
  if (nodeTypes) diagnostics = ownDiagnostics(ts, file, { ...compilerOptions, ...nodeTypes }, host);
  return {
    kind: 'checked',
    file,
    typescript: { version: ts.version, path },
    tsconfig: project?.path,
    issues: diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).map((d) => issueOf(ts, d, file)),
  };
}

/** The diagnostics of the user's own files: the config and what it imports from its project, not packages. */
function ownDiagnostics(
  ts: TypeScript,
  file: string,
  options: TS.CompilerOptions,
  host: TS.CompilerHost,
): readonly TS.Diagnostic[] {
  const program = ts.createProgram({ rootNames: [file], options, host });
  const projectDir = `${dirname(file)}/`;
  const own = program
    .getSourceFiles()
    .filter(
      (f) =>
        f.fileName === file ||
        (!f.isDeclarationFile && f.fileName.startsWith(projectDir) && !f.fileName.includes('/node_modules/')),
    );
  return own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]);
}
