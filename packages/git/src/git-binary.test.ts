import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunner } from './exec.js';
import {
  compareVersions,
  findGit,
  GitNotFoundError,
  gitBinary,
  MIN_GIT_VERSION,
  parseGitVersion,
  requireGit,
} from './git-binary.js';

const dirs: string[] = [];
const emptyDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'gantry-nogit-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the git binary', () => {
  it('GIVEN git --version outputs WHEN parsed THEN the dotted version, vendor suffixes ignored', () => {
    expect(parseGitVersion('git version 2.39.5\n')).toBe('2.39.5');
    expect(parseGitVersion('git version 2.39.3 (Apple Git-146)')).toBe('2.39.3');
    expect(parseGitVersion('git version 2.45.1.windows.1')).toBe('2.45.1');
    expect(parseGitVersion('nonsense')).toBeUndefined();
  });

  it('GIVEN versions WHEN compared THEN numerically, part by part', () => {
    expect(compareVersions('2.39.5', MIN_GIT_VERSION)).toBeGreaterThan(0);
    expect(compareVersions('2.9.0', '2.28.0')).toBeLessThan(0);
    expect(compareVersions('2.28', '2.28.0')).toBe(0);
  });

  it('GIVEN a PATH without git WHEN looked up THEN none, and requireGit and gitBinary say git_not_found', async () => {
    const path = emptyDir();
    expect(findGit(path)).toBeUndefined();
    expect(() => requireGit(path)).toThrow(GitNotFoundError);
    await expect(gitBinary({ PATH: path })).rejects.toMatchObject({ code: 'git_not_found', category: 'misconfigured' });
  });

  it('GIVEN a PATH with a non-executable file named git WHEN looked up THEN it is not taken for git', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'git'), 'not a program', { mode: 0o644 });
    expect(findGit(dir)).toBeUndefined();
  });

  it('GIVEN the machine git WHEN asked THEN its path and a supported version', async () => {
    const git = await gitBinary();
    expect(git.binary).toBe(findGit());
    expect(git.version).toMatch(/^\d+\.\d+/);
    expect(git.supported).toBe(true);
  });

  it('GIVEN no git on the PATH WHEN a runner spawns git THEN GitNotFoundError, not ENOENT', async () => {
    const saved = process.env.PATH;
    process.env.PATH = emptyDir();
    try {
      const run = createRunner(emptyDir(), () => undefined);
      await expect(run(['--version'])).rejects.toBeInstanceOf(GitNotFoundError);
    } finally {
      process.env.PATH = saved;
    }
  });
});
