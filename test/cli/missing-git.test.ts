import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, json } from './run-cli.js';

interface ErrorJson {
  error: { code: string; message: string };
}

describe('every command that needs git, with no git on the PATH', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;
  /** A PATH that leads to no git: an empty directory. */
  let noGit: { PATH: string };

  beforeAll(async () => {
    root = await tempDir('gantry-nogit-');
    dir = join(root.path, 'sandbox');
    const init = await gantry(['sandbox', 'init', dir, '--yaml'], root.path);
    expect(init.code, init.stderr).toBe(0);
    await mkdir(join(root.path, 'empty-bin'));
    noGit = { PATH: join(root.path, 'empty-bin') };
  });
  afterAll(() => root.remove());

  it.each([
    [['status']],
    [['status', 'app']],
    [['diff', 'app', 'staging']],
    [['promote', 'app', 'staging']],
    [['why', 'app', 'production']],
    [['serve', '--port', '0']],
  ])('GIVEN no git WHEN gantry %j THEN git_not_found with exit 2 (invalid setup), no stack trace', async (args) => {
    const r = await gantry(args, dir, noGit);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error \[git_not_found\] git is not installed or not on the PATH/m);
    expect(r.stderr).toContain('install git');
    expect(r.stderr).not.toMatch(/ENOENT|\n\s+at /);
  });

  it('GIVEN no git WHEN --json THEN the error as data with its code', async () => {
    const r = await gantry(['status', '--json'], dir, noGit);
    expect(r.code).toBe(2);
    expect(json<ErrorJson>(r).error.code).toBe('git_not_found');
  });

  it('GIVEN no git WHEN sandbox init THEN git_not_found before anything is written', async () => {
    const target = join(root.path, 'second');
    const r = await gantry(['sandbox', 'init', target], root.path, noGit);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[git_not_found]');
    expect(existsSync(target)).toBe(false);
  });

  it('GIVEN no git WHEN history THEN it still lists what was recorded: it reads only the store', async () => {
    expect((await gantry(['sandbox', 'push', '.'], dir)).code).toBe(0);
    const promoted = await gantry(['promote', 'app', 'staging'], dir);
    expect(promoted.code, promoted.stderr).toBe(0);
    const r = await gantry(['history', 'app', '--json'], dir, noGit);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(json<{ items: Array<{ phase: string; state: string }> }>(r).items.length).toBeGreaterThan(0);
  });

  it('GIVEN a configuration whose pipelines cannot be read now WHEN history THEN what was recorded, without links, and a warning', async () => {
    const broken = join(root.path, 'broken');
    expect((await gantry(['sandbox', 'init', broken, '--yaml'], root.path)).code).toBe(0);
    expect((await gantry(['sandbox', 'push', '.'], broken)).code).toBe(0);
    expect((await gantry(['promote', 'app', 'staging'], broken)).code).toBe(0);
    const file = join(broken, 'gantry.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('promotesFrom: staging', 'promotesFrom: nowhere'));
    const r = await gantry(['history', 'app', '--json'], broken);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning: promotions shown without links: /);
    expect(json<{ items: Array<{ phase: string; links?: unknown }> }>(r).items[0]).toMatchObject({ phase: 'staging' });
  });

  it('GIVEN no git WHEN validate THEN it still validates: it reads no repository', async () => {
    const r = await gantry(['validate'], dir, noGit);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('valid');
  });
});
