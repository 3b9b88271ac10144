/**
 * Builds the published `gantry` package into packages/gantry/dist (`npm run build -w gantry`,
 * run by `npm pack`/`npm publish` through `prepack`):
 *
 * - dist/index.js, dist/testing.js, dist/cli.js and their shared chunks: every Gantry package
 *   bundled by esbuild (ESM, Node 20) with code splitting, so the CLI, a user's gantry.config.ts
 *   and `gantry/testing` share one copy of each module, and commands still load on use; npm
 *   packages stay imports (the package's `dependencies`), checked against what the bundle imports,
 *   except the few every command loads at start (bundled-packages.ts), whose notices go to
 *   dist/THIRD-PARTY-NOTICES.md;
 * - dist/index.d.ts, dist/testing.d.ts: the declarations tsc emits, bundled by rollup-plugin-dts;
 * - dist/dashboard: the dashboard as the UI build made it; dist/examples/gitops: what
 *   `gantry sandbox init` lays out.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin as EsbuildPlugin } from 'esbuild';
import { build } from 'esbuild';
import type { Plugin as RollupPlugin } from 'rollup';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';
import { BUNDLED_PACKAGES, packageOfInput, writeNotices, zodEnglishOnly } from './bundled-packages.js';
import { directImports } from './direct-imports.js';

const PKG = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(PKG, '..', '..');
/**
 * `--out <dir>`: the whole package laid out in `<dir>` instead (package.json, bin, dist), as npm
 * would install it, leaving packages/gantry/dist alone: what the tests run as `gantry` while
 * another test packs the package.
 */
const outAt = process.argv.indexOf('--out');
const outArg = outAt >= 0 ? process.argv[outAt + 1] : undefined;
if (outAt >= 0 && !outArg) throw new Error('--out needs a directory');
const OUT = outArg === undefined ? undefined : resolve(outArg);
// the directory is emptied first: only an empty one, or an earlier build, is ever emptied
if (OUT && existsSync(OUT) && readdirSync(OUT).length > 0 && !existsSync(join(OUT, 'dist', 'cli.js'))) {
  throw new Error(`--out ${OUT} is neither empty nor an earlier build of the package; choose another directory`);
}
const DIST = OUT ? join(OUT, 'dist') : join(PKG, 'dist');

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readJson = async <T>(path: string) => JSON.parse(await readFile(path, 'utf8')) as T;
/** `@noble/curves/ed25519.js` -> `@noble/curves`, `yaml` -> `yaml`. */
const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isInternal = (specifier: string) => specifier.startsWith('@gantry/');

/** Every package of the repository, by name. */
async function workspaceManifests(): Promise<Map<string, Manifest>> {
  const all = new Map<string, Manifest>();
  for (const dir of await readdir(join(ROOT, 'packages'))) {
    const file = join(ROOT, 'packages', dir, 'package.json');
    if (existsSync(file)) {
      const m = await readJson<Manifest>(file);
      all.set(m.name, m);
    }
  }
  return all;
}

/** One version for all: the internal packages are bundled into this one and released with it. */
function checkVersionsInStep(own: Manifest, all: Map<string, Manifest>): void {
  const off = [...all.values()].filter((m) => m.version !== own.version);
  if (off.length > 0) {
    throw new Error(
      `every package must carry gantry's version ${own.version}; ` +
        `${off.map((m) => `${m.name} is ${m.version}`).join(', ')} (set them all: npm version <v> --workspaces --no-git-tag-version)`,
    );
  }
}

/** Whether an npm package is CommonJS only (no `"type": "module"`): those are loaded with require(). */
function isCommonJs(name: string): boolean {
  const manifest = join(ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) return false;
  const m = JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string; module?: string };
  return m.type !== 'module';
}

/**
 * Gantry's own packages are bundled, and none of their modules runs anything on import that
 * others rely on: esbuild may leave out every module whose exports go unused (a command that
 * needs one export of a package does not load the rest). Every npm package but the bundled ones
 * (BUNDLED_PACKAGES) stays an import; CommonJS ones become require() calls, as a CommonJS importer
 * would write them: an ES module importing CommonJS makes Node lex each such file for its export
 * names first, which costs the CLI's start more than loading them.
 */
const splitPackages: EsbuildPlugin = {
  name: 'gantry-packages',
  setup(b) {
    const sources = join(ROOT, 'packages');
    const commonJs = new Map<string, boolean>();
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.kind === 'entry-point') return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      if (/^[^./]/.test(args.path) && !isInternal(args.path) && !BUNDLED_PACKAGES.has(packageName(args.path))) {
        const name = packageName(args.path);
        if (!commonJs.has(name)) commonJs.set(name, isCommonJs(name));
        return commonJs.get(name) && args.kind === 'import-statement'
          ? { path: args.path, namespace: 'gantry-require' }
          : { path: args.path, external: true };
      }
      const r = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'resolving',
      });
      if (r.errors.length > 0) return { errors: r.errors };
      const ours = r.path.startsWith(`${sources}/`) && !r.path.includes('/node_modules/');
      return { path: r.path, external: r.external, namespace: r.namespace, sideEffects: ours ? false : r.sideEffects };
    });
    // Node's interop, whatever the module says of itself (`__esModule`): the default import is
    // module.exports, a named import one of its properties
    b.onLoad({ filter: /.*/, namespace: 'gantry-require' }, (args) => ({
      contents: `const m = ${REQUIRE}(${JSON.stringify(args.path)}); module.exports = { __proto__: m, __esModule: true, default: m };`,
      loader: 'js',
    }));
  },
};

/**
 * The require() each output file gets (see the banner), resolving from the package like its
 * imports. It is also `require` there: the bundled CommonJS packages require Node.js's modules
 * through it (esbuild's `__require` looks for a `require` in scope).
 */
const REQUIRE = '__gantry_require';

async function bundleJavaScript(own: Manifest, all: Map<string, Manifest>): Promise<void> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: {
      index: join(PKG, 'src', 'index.ts'),
      testing: join(PKG, 'src', 'testing.ts'),
      cli: join(PKG, 'src', 'cli.ts'),
    },
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    banner: {
      js: `import { createRequire as ${REQUIRE}_create } from 'node:module'; const ${REQUIRE} = ${REQUIRE}_create(import.meta.url), require = ${REQUIRE};`,
    },
    define: { __GANTRY_VERSION__: JSON.stringify(own.version), __GANTRY_BUNDLE__: 'true' },
    plugins: [directImports(join(ROOT, 'packages')), splitPackages, zodEnglishOnly],
  });
  if (process.env.GANTRY_BUILD_METAFILE)
    await writeFile(process.env.GANTRY_BUILD_METAFILE, JSON.stringify(result.metafile));
  const imported = new Set([
    ...Object.values(result.metafile.outputs).flatMap((o) =>
      o.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => packageName(i.path)),
    ),
    ...Object.keys(result.metafile.inputs)
      .filter((i) => i.startsWith('gantry-require:'))
      .map((i) => packageName(i.slice('gantry-require:'.length))),
  ]);
  // a package loaded by name at run time (createRequire(...)('pino')) is one the bundle uses too
  const text = Object.keys(result.metafile.outputs)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(ROOT, f), 'utf8'))
    .join('\n');
  for (const name of Object.keys(own.dependencies ?? {})) {
    if (new RegExp(`\\(\\s*["']${name.replace(/[/.]/g, '\\$&')}["']\\s*\\)`).test(text)) imported.add(name);
  }
  checkDependencies(own, all, imported);
  const bundled = Object.keys(result.metafile.inputs).flatMap((i) => packageOfInput(i) ?? []);
  await writeNotices(bundled, ROOT, join(DIST, 'THIRD-PARTY-NOTICES.md'));
}

/**
 * The published dependencies are exactly the npm packages the bundle imports, each with the
 * range the Gantry package that uses it asks for: nothing missing at run time, nothing extra.
 */
function checkDependencies(own: Manifest, all: Map<string, Manifest>, imported: Set<string>): void {
  const declared = own.dependencies ?? {};
  const wanted = new Map<string, string>();
  for (const m of all.values()) {
    for (const [name, range] of Object.entries(m.dependencies ?? {})) if (imported.has(name)) wanted.set(name, range);
  }
  const problems = [
    ...[...imported].filter((n) => !(n in declared)).map((n) => `missing "${n}": "${wanted.get(n) ?? '?'}"`),
    ...Object.keys(declared)
      .filter((n) => !imported.has(n))
      .map((n) => `"${n}" is not imported by the bundle`),
    ...Object.entries(declared)
      .filter(([n, r]) => wanted.has(n) && wanted.get(n) !== r)
      .map(([n, r]) => `"${n}": "${r}" differs from the Gantry packages' "${wanted.get(n)}"`),
  ];
  if (problems.length > 0) throw new Error(`packages/gantry/package.json dependencies: ${problems.join('; ')}`);
}

/** Resolves `@gantry/x` to the declaration tsc emitted for its sources. */
function internalDeclarations(emitted: string): RollupPlugin {
  return {
    name: 'gantry-declarations',
    resolveId(source) {
      if (!isInternal(source)) return null;
      return join(emitted, 'packages', source.slice('@gantry/'.length), 'src', 'index.d.ts');
    },
  };
}

async function bundleDeclarations(): Promise<void> {
  const emitted = await mkdtemp(join(tmpdir(), 'gantry-dts-'));
  try {
    // declarations only, unchecked: `npm run typecheck` is the type gate, and emitting without
    // a full check takes a fraction of the time
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', join(PKG, 'tsconfig.build.json'), '--noCheck', '--outDir', emitted], {
      stdio: 'inherit',
    });
    const bundle = await rollup({
      input: {
        index: join(emitted, 'packages', 'gantry', 'src', 'index.d.ts'),
        testing: join(emitted, 'packages', 'gantry', 'src', 'testing.d.ts'),
      },
      // npm packages' types stay imports, resolved from the user's install like the code
      external: (id) => /^[^./]/.test(id) && !isInternal(id) && !id.startsWith(emitted),
      plugins: [internalDeclarations(emitted), dts({ respectExternal: false })],
    });
    await bundle.write({ dir: DIST, format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'types-[hash].d.ts' });
    await bundle.close();
  } finally {
    await rm(emitted, { recursive: true, force: true });
  }
}

async function copyAssets(): Promise<void> {
  const dashboard = join(ROOT, 'packages', 'ui', 'dist');
  if (!existsSync(join(dashboard, 'index.html'))) {
    execFileSync('npm', ['run', 'build', '--workspace', '@gantry/ui'], { cwd: ROOT, stdio: 'inherit' });
  }
  await cp(dashboard, join(DIST, 'dashboard'), { recursive: true });
  await cp(join(ROOT, 'examples', 'gitops'), join(DIST, 'examples', 'gitops'), { recursive: true });
}

const started = performance.now();
const own = await readJson<Manifest>(join(PKG, 'package.json'));
const all = await workspaceManifests();
checkVersionsInStep(own, all);
await rm(OUT ?? DIST, { recursive: true, force: true });
await bundleJavaScript(own, all);
// `--no-types`: a quicker build to try the CLI (declarations take most of the time)
if (!process.argv.includes('--no-types')) await bundleDeclarations();
await copyAssets();
if (OUT) {
  await cp(join(PKG, 'bin'), join(OUT, 'bin'), { recursive: true });
  await cp(join(PKG, 'package.json'), join(OUT, 'package.json'));
}
const files = await readdir(DIST, { recursive: true });
console.log(
  `built ${relative(ROOT, DIST)} (gantry ${own.version}): ${files.length} files in ${Math.round(performance.now() - started)} ms`,
);
