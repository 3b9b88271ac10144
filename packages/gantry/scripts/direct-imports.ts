/**
 * An esbuild plugin for the package build: `import { a } from '@gantry/x'` becomes an import of
 * the module of package x that defines `a`, read from x's `index.ts` export list.
 *
 * Why: esbuild splits a bundle into chunks by which entry points reach each module through the
 * import graph, and an index re-exports its whole package. Every command that imports one
 * schema from `@gantry/gates` would otherwise reach all of gates (its recurrence rules and their
 * libraries) and load them at start; through the defining modules, a command reaches (and
 * loads) only what it uses. The sources keep their one-import-per-package style.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Plugin } from 'esbuild';

/** Exported name -> the module (absolute path) and the name it has there. */
type ExportMap = ReadonlyMap<string, { readonly file: string; readonly name: string }>;

const EXPORT_FROM = /export\s+(type\s+)?\{([^}]*)\}\s*from\s*'(\.[^']+)'\s*;/g;
const IMPORT_FROM = /(import|export)\s+(type\s+)?\{([^}]*)\}\s*from\s*'(@gantry\/[a-z-]+)'\s*;/g;

/** `./x.js` in a TypeScript source names `./x.ts`. */
const sourceOf = (dir: string, specifier: string) => resolve(dir, specifier.replace(/\.js$/, '.ts'));

/** Splits `a, type B, c as d` into specifiers. */
function specifiers(list: string): { type: boolean; name: string; alias: string }[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const type = s.startsWith('type ');
      const [name = '', alias = name] = s
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .map((p) => p.trim());
      return { type, name, alias };
    });
}

/** The value exports of one package's `src/index.ts` (type-only ones are erased anyway). */
function exportMap(indexFile: string): ExportMap {
  const map = new Map<string, { file: string; name: string }>();
  const text = readFileSync(indexFile, 'utf8');
  for (const m of text.matchAll(EXPORT_FROM)) {
    if (m[1]) continue;
    const file = sourceOf(dirname(indexFile), m[3] ?? '');
    for (const s of specifiers(m[2] ?? '')) if (!s.type) map.set(s.alias, { file, name: s.name });
  }
  return map;
}

/** Rewrites one import (or re-export) statement; the original when any name is not in the map. */
function rewrite(keyword: string, list: string, pkg: string, maps: Map<string, ExportMap>): string | undefined {
  const map = maps.get(pkg);
  if (!map) return undefined;
  const values = specifiers(list).filter((s) => !s.type);
  if (values.length === 0) return undefined;
  const byFile = new Map<string, string[]>();
  for (const s of values) {
    const target = map.get(s.name);
    if (!target) return undefined; // `export *` or a new form: leave the statement as written
    const part = target.name === s.alias ? s.alias : `${target.name} as ${s.alias}`;
    byFile.set(target.file, [...(byFile.get(target.file) ?? []), part]);
  }
  return [...byFile]
    .map(([file, parts]) => `${keyword} { ${parts.join(', ')} } from ${JSON.stringify(file)};`)
    .join('\n');
}

/** The plugin, for the packages under `packagesDir` (their `src/index.ts` export lists). */
export function directImports(packagesDir: string): Plugin {
  const maps = new Map<string, ExportMap>();
  for (const dir of readdirSync(packagesDir)) {
    const index = join(packagesDir, dir, 'src', 'index.ts');
    try {
      const name = (JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as { name: string }).name;
      maps.set(name, exportMap(index));
    } catch {
      // not a package with sources
    }
  }
  return {
    name: 'gantry-direct-imports',
    setup(build) {
      build.onLoad({ filter: /\/packages\/[^/]+\/src\/.*\.ts$/ }, async (args) => {
        if (args.path.endsWith('.d.ts')) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes("'@gantry/")) return undefined;
        const contents = text.replace(
          IMPORT_FROM,
          (whole, keyword: string, type: string | undefined, list: string, pkg: string) =>
            (type ? undefined : rewrite(keyword, list, pkg, maps)) ?? whole,
        );
        return { contents, loader: 'ts' };
      });
    },
  };
}
