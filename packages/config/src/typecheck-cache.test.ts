import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { configCacheDir } from './compile-config.js';
import { checkedCleanBefore, rememberCleanCheck, sha256 } from './typecheck-cache.js';

const TYPESCRIPT = { path: '/opt/typescript/lib/typescript.js', version: '5.9.3' };
/** A clock far enough ahead that every file written by the test counts as settled. */
const LATER = () => Date.now() + 60_000;

async function project(files: Record<string, string>) {
  const dir = await tempDir('gantry-typecheck-cache-');
  // the cache lives in the nearest node_modules, as in a user's project
  await mkdir(join(dir.path, 'node_modules'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir.path, name), text);
  return dir;
}

const hashes = (paths: readonly string[]) =>
  Object.fromEntries(paths.map((p) => [p, sha256(readFileSync(p))] as const));

describe('the type check cache', () => {
  it('GIVEN a clean check of settled files WHEN nothing changed THEN clean, their stats standing for their content', async () => {
    await using dir = await project({
      'gantry.config.ts': 'export default 1;\n',
      'types.d.ts': 'declare const x: 1;\n',
    });
    const file = join(dir.path, 'gantry.config.ts');
    const types = join(dir.path, 'types.d.ts');
    // the entry says the declarations hashed to something else: only a check that trusts their
    // unchanged stat, and does not read them, can call this clean
    rememberCleanCheck(file, TYPESCRIPT, undefined, { ...hashes([file]), [types]: sha256('other') }, LATER());
    expect(checkedCleanBefore(file, TYPESCRIPT)).toEqual({ project: null });
  });

  it('GIVEN settled stats WHEN a file is rewritten with the same size THEN not clean: its stat changed, and its content', async () => {
    await using dir = await project({ 'gantry.config.ts': 'export default 1;\n', 'lib.ts': 'export const a = 1;\n' });
    const file = join(dir.path, 'gantry.config.ts');
    const lib = join(dir.path, 'lib.ts');
    rememberCleanCheck(file, TYPESCRIPT, undefined, hashes([file, lib]), LATER());
    expect(checkedCleanBefore(file, TYPESCRIPT)).toBeDefined();
    await writeFile(lib, 'export const a = 2;\n');
    expect(checkedCleanBefore(file, TYPESCRIPT)).toBeUndefined();
  });

  it('GIVEN files that changed while the check read them WHEN checked again THEN each is read and hashed, not trusted by its stat', async () => {
    await using dir = await project({
      'gantry.config.ts': 'export default 1;\n',
      'types.d.ts': 'declare const x: 1;\n',
    });
    const file = join(dir.path, 'gantry.config.ts');
    const types = join(dir.path, 'types.d.ts');
    // read just now: the files are as new as the check, so no stat is kept for them
    rememberCleanCheck(file, TYPESCRIPT, undefined, { ...hashes([file]), [types]: sha256('other') }, Date.now());
    expect(checkedCleanBefore(file, TYPESCRIPT)).toBeUndefined();
  });

  it('GIVEN an entry without stats WHEN its files are read, match and have settled THEN the entry keeps their stats', async () => {
    await using dir = await project({
      'gantry.config.ts': 'export default 1;\n',
      'types.d.ts': 'declare const x: 1;\n',
    });
    const file = join(dir.path, 'gantry.config.ts');
    const types = join(dir.path, 'types.d.ts');
    rememberCleanCheck(file, TYPESCRIPT, undefined, hashes([file, types]), Date.now());
    expect(checkedCleanBefore(file, TYPESCRIPT, LATER())).toBeDefined();
    const entries = readdirSync(configCacheDir(file)).filter((n) => n.startsWith('typecheck-'));
    expect(entries).toHaveLength(1);
    const entry = JSON.parse(readFileSync(join(configCacheDir(file), entries[0] ?? ''), 'utf8')) as {
      stats: Record<string, string>;
    };
    expect(Object.keys(entry.stats).sort()).toEqual([file, types].sort());
  });

  it('GIVEN a clean entry WHEN another compiler version asks THEN not clean', async () => {
    await using dir = await project({ 'gantry.config.ts': 'export default 1;\n' });
    const file = join(dir.path, 'gantry.config.ts');
    rememberCleanCheck(file, TYPESCRIPT, undefined, hashes([file]), LATER());
    expect(checkedCleanBefore(file, { ...TYPESCRIPT, version: '6.0.0' })).toBeUndefined();
  });
});
