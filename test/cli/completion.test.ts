import { spawnSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasTool, tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry } from './run-cli.js';
import { GANTRY_BIN as BIN } from '../support/gantry-bin.js';

/** zsh and fish check their scripts; CI installs both (a missing one fails there instead of skipping). */
const has = (shell: string) => hasTool(shell);

describe('gantry completion and __complete', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  /** The YAML sandbox and the pipelines-as-code one. */
  let yamlDir: string;
  let tsDir: string;
  let path: string;
  const scripts: Record<string, string> = {};

  beforeAll(async () => {
    root = await tempDir('gantry-completion-');
    yamlDir = join(root.path, 'yaml');
    tsDir = join(root.path, 'ts');
    const [a, b] = await Promise.all([
      gantry(['sandbox', 'init', yamlDir, '--yaml'], root.path),
      gantry(['sandbox', 'init', tsDir], root.path),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    // the scripts call `gantry` by name, as an installed CLI is called
    const bin = join(root.path, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'gantry'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    await chmod(join(bin, 'gantry'), 0o755);
    path = `${bin}:${process.env.PATH}`;
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await gantry(['completion', shell], root.path);
      expect(r.code, r.stderr).toBe(0);
      scripts[shell] = r.stdout;
    }
    await writeFile(join(root.path, 'gantry.bash'), scripts.bash as string);
  });
  afterAll(() => root.remove());

  /** What bash's completion function offers for the words typed so far (the last one being completed). */
  function bashComplete(words: string[], cwd: string): string[] {
    const script = join(root.path, 'gantry.bash');
    const line = ['gantry', ...words].map((w) => `'${w}'`).join(' ');
    const r = spawnSync(
      'bash',
      [
        '-c',
        `source '${script}'; COMP_WORDS=(${line}); COMP_CWORD=${words.length}; _gantry_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { cwd, env: { ...process.env, PATH: path }, encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.split('\n').filter((l) => l !== '');
  }

  it('GIVEN the bash script WHEN checked by bash -n THEN it parses, and completing `gantry pro` gives promote', async () => {
    const syntax = spawnSync('bash', ['-n', join(root.path, 'gantry.bash')], { encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
    expect(bashComplete(['pro'], yamlDir)).toEqual(['promote']);
    expect(bashComplete(['to'], yamlDir)).toEqual(['token']);
    expect(bashComplete(['token', ''], yamlDir)).toEqual(['create', 'list', 'revoke']);
  });

  it('GIVEN a configuration WHEN completing pipeline and phase arguments THEN its names, in the order they are asked', () => {
    expect(bashComplete(['promote', ''], yamlDir)).toEqual(['app']);
    expect(bashComplete(['promote', 'app', 's'], yamlDir)).toEqual(['staging']);
    expect(bashComplete(['why', 'app', ''], yamlDir)).toEqual(['oci', 'staging', 'production']);
    // pipelines as code: gantry.config.ts is loaded for the names
    expect(bashComplete(['status', ''], tsDir)).toEqual(['app']);
    expect(bashComplete(['diff', 'app', 'pr'], tsDir)).toEqual(['production']);
    // an option's value is not an argument: the pipeline comes after it
    expect(bashComplete(['promote', '--reason', 'hotfix', 'a'], yamlDir)).toEqual(['app']);
  });

  it('GIVEN a flag being typed or an option with choices WHEN completing THEN its flags, the global ones, or its choices', () => {
    const flags = bashComplete(['status', '--'], yamlDir);
    expect(flags).toEqual(expect.arrayContaining(['--json', '--cached', '--help', '--config', '--log-level']));
    expect(flags.every((f) => f.startsWith('--'))).toBe(true);
    expect(bashComplete(['--log-level', 'w'], yamlDir)).toEqual(['warn']);
    expect(bashComplete(['token', 'create', '--role', ''], yamlDir)).toEqual(
      expect.arrayContaining(['viewer', 'promoter', 'admin']),
    );
    expect(bashComplete(['token', 'create', '--role', 'ad'], yamlDir)).toEqual(['admin']);
    expect(bashComplete(['completion', ''], yamlDir)).toEqual([]);
  });

  it('GIVEN no configuration WHEN completing a pipeline THEN nothing, and no error reaches the command line', async () => {
    const r = await gantry(['__complete', '--', 'promote', ''], root.path);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
  });

  it('GIVEN gantry --help THEN the hidden __complete is not listed, completion and doctor are', async () => {
    const r = await gantry(['--help'], root.path);
    expect(r.stdout).not.toContain('__complete');
    expect(r.stdout).toMatch(/^\s+completion <shell>/m);
    expect(r.stdout).toMatch(/^\s+doctor /m);
    const bad = await gantry(['completion', 'tcsh'], root.path);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Allowed choices are bash, zsh, fish');
  });

  it.skipIf(!has('zsh'))('GIVEN the zsh script WHEN checked by zsh -n THEN it parses', async () => {
    await writeFile(join(root.path, '_gantry'), scripts.zsh as string);
    const r = spawnSync('zsh', ['-n', join(root.path, '_gantry')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it.skipIf(!has('fish'))('GIVEN the fish script WHEN checked by fish --no-execute THEN it parses', async () => {
    await writeFile(join(root.path, 'gantry.fish'), scripts.fish as string);
    const r = spawnSync('fish', ['--no-execute', join(root.path, 'gantry.fish')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    // and fish completes with it
    const c = spawnSync(
      'fish',
      [
        '-c',
        `source '${join(root.path, 'gantry.fish')}'; complete -C 'gantry pro'; complete -C 'gantry promote app st'`,
      ],
      {
        cwd: yamlDir,
        env: { ...process.env, PATH: path },
        encoding: 'utf8',
      },
    );
    expect(c.stdout.split('\n').filter((l) => l !== '')).toEqual(['promote', 'staging']);
  });
});
