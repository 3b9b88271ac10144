import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GantryError } from '@gantry/core';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { compilePipelinesFile, configCacheDir } from './compile-config.js';
import { importPipelinesFile } from './pipelines-file.js';
import { gantryVersion, majorOf } from './version.js';

/** A project with a node_modules folder (where the cache goes) and the given files. */
async function project(files: Record<string, string>) {
  const dir = await tempDir('gantry-compile-');
  await mkdir(join(dir.path, 'node_modules'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir.path, name, '..'), { recursive: true });
    await writeFile(join(dir.path, name), text);
  }
  return dir;
}

const CONFIG = "import { team } from './lib/team.ts';\nexport const owner: string = team;\nexport default 1;\n";

describe('compilePipelinesFile: the user TypeScript compiled once, into the cache', () => {
  it('GIVEN a config WHEN compiled twice THEN the second comes from the cache, in node_modules/.cache/gantry', async () => {
    await using dir = await project({ 'gantry.config.ts': CONFIG, 'lib/team.ts': "export const team = 'web';\n" });
    const file = join(dir.path, 'gantry.config.ts');
    const first = await compilePipelinesFile(file);
    expect(first.cached).toBe(false);
    expect(first.path.startsWith(join(dir.path, 'node_modules', '.cache', 'gantry'))).toBe(true);
    expect(first.sources).toEqual([file, join(dir.path, 'lib', 'team.ts')]);
    const second = await compilePipelinesFile(file);
    expect(second).toEqual({ ...first, cached: true });
    const mod = (await import(pathToFileURL(second.path).href)) as { owner: string };
    expect(mod.owner).toBe('web');
  });

  it('GIVEN the config or a file it imports changed WHEN compiled THEN compiled again, with the change', async () => {
    await using dir = await project({ 'gantry.config.ts': CONFIG, 'lib/team.ts': "export const team = 'web';\n" });
    const file = join(dir.path, 'gantry.config.ts');
    const first = await compilePipelinesFile(file);
    await writeFile(join(dir.path, 'lib', 'team.ts'), "export const team = 'payments';\n");
    const afterImport = await compilePipelinesFile(file);
    expect(afterImport.cached).toBe(false);
    expect(((await import(`${pathToFileURL(afterImport.path).href}?1`)) as { owner: string }).owner).toBe('payments');
    await writeFile(file, `${CONFIG}export const more = true;\n`);
    const afterConfig = await compilePipelinesFile(file);
    expect(afterConfig.cached).toBe(false);
    expect(afterConfig.path).not.toBe(first.path);
  });

  it('GIVEN import.meta in the config WHEN run compiled THEN it names the config, not the cache', async () => {
    await using dir = await project({
      'gantry.config.ts': 'export const where = [import.meta.url, import.meta.dirname, import.meta.filename];\n',
    });
    const file = join(dir.path, 'gantry.config.ts');
    const { path } = await compilePipelinesFile(file);
    const mod = (await import(pathToFileURL(path).href)) as { where: string[] };
    expect(mod.where).toEqual([pathToFileURL(file).href, dir.path, file]);
  });

  it('GIVEN a syntax error WHEN compiled THEN the absolute file, line and 1-based column, as compilers print them', async () => {
    await using dir = await project({ 'gantry.config.ts': 'const a = 1;\nconst b = {;\n' });
    const file = join(dir.path, 'gantry.config.ts');
    await expect(compilePipelinesFile(file)).rejects.toThrow(new RegExp(`${file}:2:12: ERROR: `));
  });

  it('GIVEN no node_modules above the file WHEN the cache is placed THEN the system temp directory', () => {
    expect(configCacheDir('/gantry.config.ts')).toMatch(/gantry-config-cache-/);
  });
});

describe('the gantry version a config imports', () => {
  it('GIVEN versions WHEN their majors are compared THEN 0.x minors count as majors, as semver has it', () => {
    expect(majorOf('1.4.2')).toBe('1');
    expect(majorOf('0.3.1')).toBe('0.3');
    expect(gantryVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('GIVEN a config whose gantry is of another major WHEN loaded THEN refused, naming both versions', async () => {
    await using dir = await project({
      'node_modules/gantry/package.json': '{ "name": "gantry", "version": "99.0.0" }\n',
      'gantry.config.ts': "import { defineConfig } from 'gantry';\nexport default defineConfig({ pipelines: [] });\n",
    });
    const error = await importPipelinesFile(join(dir.path, 'gantry.config.ts')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GantryError);
    expect((error as GantryError).code).toBe('gantry_version_mismatch');
    expect((error as GantryError).message).toContain('imports gantry 99.0.0');
    expect((error as GantryError).message).toContain(`this gantry CLI is ${gantryVersion()}`);
  });

  it('GIVEN a config whose gantry is of the same major WHEN loaded THEN not refused for its version', async () => {
    await using dir = await project({
      'node_modules/gantry/package.json': JSON.stringify({ name: 'gantry', version: gantryVersion(), main: 'i.js' }),
      'node_modules/gantry/i.js': 'exports.defineConfig = (d) => d;\n',
      'gantry.config.ts': "import { defineConfig } from 'gantry';\nexport default defineConfig({ pipelines: [] });\n",
    });
    await expect(importPipelinesFile(join(dir.path, 'gantry.config.ts'))).resolves.toEqual([]);
  });
});
