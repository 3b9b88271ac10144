import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Bumped when what this module writes changes shape (options, injected names): a cache entry
 * written by another Gantry version is then simply not found, never misread.
 */
const CACHE_FORMAT = 1;

/** The compiled pipelines file, ready to import. */
export interface CompiledConfig {
  /** The JavaScript module to import (an ES module in the cache directory). */
  readonly path: string;
  /** Packages the file imports by name (`gantry`, `gantry/testing`, `zod`...), as written. */
  readonly packages: readonly string[];
  /** The user's files it was built from: the pipelines file first, then the local files it imports. */
  readonly sources: readonly string[];
  /** True when it came from the cache: nothing was compiled. */
  readonly cached: boolean;
}

/** What a cache entry remembers beside the module: the files it was built from and their hashes. */
interface Manifest {
  readonly format: number;
  readonly inputs: Readonly<Record<string, string>>;
  readonly packages: readonly string[];
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * Where compiled configs are kept: `node_modules/.cache/gantry` of the nearest `node_modules`
 * above the file (the convention of Babel, ESLint and others). From there, the packages the
 * config imports by name resolve as they do from the config itself: nothing nearer holds a
 * `node_modules`. Without one, the system's temp directory (the config then imports no package
 * that could be found anyway).
 */
export function configCacheDir(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const modules = join(dir, 'node_modules');
    if (existsSync(modules)) return join(modules, '.cache', 'gantry');
    if (dirname(dir) === dir) break;
  }
  return join(tmpdir(), `gantry-config-cache-${process.getuid?.() ?? 'user'}`);
}

/** The entry for `file` with its current content, when every file it was built from is unchanged. */
async function cachedEntry(base: string, entry: string): Promise<Manifest | undefined> {
  const manifest = await readFile(`${base}.json`, 'utf8')
    .then((t) => JSON.parse(t) as Manifest)
    .catch(() => undefined);
  if (manifest?.format !== CACHE_FORMAT || !existsSync(`${base}.mjs`)) return undefined;
  for (const [input, hash] of Object.entries(manifest.inputs)) {
    if (input === entry) continue; // its content is in the entry's name
    const text = await readFile(input).catch(() => undefined);
    if (!text || sha256(text) !== hash) return undefined;
  }
  return manifest;
}

/**
 * `import.meta.url`, `.dirname` and `.filename` in the user's files keep naming those files,
 * not the compiled module: each file gets its own values (on its first line, so that line
 * numbers in stack traces stay the user's).
 */
const importMetaPlugin = {
  name: 'gantry-import-meta',
  setup(build: import('esbuild').PluginBuild) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const url = pathToFileURL(args.path).href;
      const values =
        `var __gantry_meta_url = ${JSON.stringify(url)}, __gantry_meta_filename = ${JSON.stringify(args.path)}, ` +
        `__gantry_meta_dirname = ${JSON.stringify(dirname(args.path))};`;
      const loader = /\.[cm]?tsx?$/.test(args.path) ? (args.path.endsWith('x') ? 'tsx' : 'ts') : 'js';
      return { contents: values + text, loader };
    });
  },
};

/**
 * esbuild's failure as compilers print it, `/abs/file.ts:line:col: ERROR: message` (1-based
 * column, absolute path), which is how the loader's error reporting finds the user's line.
 */
function compileError(e: unknown, dir: string): Error {
  const failure = e as { errors?: import('esbuild').Message[] };
  const first = failure.errors?.[0];
  if (!first?.location) return e instanceof Error ? e : new Error(String(e));
  const { file, line, column } = first.location;
  const path = isAbsolute(file) ? file : resolve(dir, file);
  const count = failure.errors?.length ?? 1;
  return new Error(
    `Build failed with ${count} error${count === 1 ? '' : 's'}:\n${path}:${line}:${column + 1}: ERROR: ${first.text}`,
    { cause: e },
  );
}

/** Removes older builds of the same file (a minute old at least: another process may be importing one). */
async function pruneSiblings(dir: string, prefix: string, keep: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(prefix) || name.startsWith(keep)) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > 60_000) await rm(path, { force: true });
  }
}

/**
 * Compiles a pipelines file (TypeScript or JavaScript) and the files of the project it imports
 * into one ES module, with esbuild; packages it imports by name stay imports. The result is
 * cached by the file's path and content (and the content of every local file it imports): an
 * unchanged config is not compiled again, and esbuild is not even loaded. A source map inside
 * the module lets stack traces name the user's lines.
 */
export async function compilePipelinesFile(file: string): Promise<CompiledConfig> {
  const entry = resolve(file);
  const source = await readFile(entry);
  const dir = configCacheDir(entry);
  const prefix = `${basename(entry).replace(/[^\w.-]/g, '_')}-${sha256(entry).slice(0, 12)}-`;
  const name = `${prefix}${sha256(source).slice(0, 24)}`;
  const base = join(dir, name);
  const hit = await cachedEntry(base, entry);
  if (hit)
    return { path: `${base}.mjs`, packages: hit.packages, sources: [entry, ...Object.keys(hit.inputs)], cached: true };

  const esbuild = await import('esbuild');
  const result = await esbuild
    .build({
      entryPoints: [entry],
      outfile: `${base}.mjs`,
      write: false,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: dirname(entry),
      define: {
        'import.meta.url': '__gantry_meta_url',
        'import.meta.filename': '__gantry_meta_filename',
        'import.meta.dirname': '__gantry_meta_dirname',
      },
      plugins: [importMetaPlugin],
    })
    .catch((e: unknown) => {
      throw compileError(e, dirname(entry));
    });
  const output = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
  if (!output) throw new Error(`esbuild wrote no module for ${entry}`);
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = isAbsolute(input) ? input : resolve(dirname(entry), input);
    if (path !== entry) inputs[path] = sha256(await readFile(path));
  }
  const packages = [
    ...new Set(
      Object.values(result.metafile.outputs).flatMap((o) =>
        o.imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => i.path),
      ),
    ),
  ].sort();
  const manifest: Manifest = { format: CACHE_FORMAT, inputs, packages };

  // written under a unique name and renamed: a process reading the entry sees all of it or none
  await mkdir(dir, { recursive: true });
  const tmp = `${base}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(`${tmp}.mjs`, output.contents);
  await writeFile(`${tmp}.json`, JSON.stringify(manifest));
  await rename(`${tmp}.mjs`, `${base}.mjs`);
  await rename(`${tmp}.json`, `${base}.json`);
  await pruneSiblings(dir, prefix, name);
  return { path: `${base}.mjs`, packages, sources: [entry, ...Object.keys(inputs)], cached: false };
}
