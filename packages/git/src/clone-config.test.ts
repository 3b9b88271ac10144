import { execFileSync } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { configValue } from './clone.js';

describe('configValue', () => {
  it.each([
    'https://git.example.com/team/config.git',
    'file:///srv/git/a b/config.git',
    'ssh://git@host:2222/~user/repo#with;comment',
    'C:\\repos\\config "quoted"',
    'tab\there',
  ])('GIVEN the URL %s written into a config file WHEN git reads it THEN it reads the same URL', async (url) => {
    const dir = await tempDir('gantry-config-value-');
    try {
      execFileSync('git', ['init', '--quiet', '--bare', dir.path]);
      await appendFile(join(dir.path, 'config'), `[remote "origin"]\n\turl = ${configValue(url)}\n`);
      const read = execFileSync('git', ['config', '--get', 'remote.origin.url'], {
        env: { ...process.env, GIT_DIR: dir.path },
      });
      expect(read.toString().replace(/\n$/, '')).toBe(url);
    } finally {
      await dir.remove();
    }
  });
});
