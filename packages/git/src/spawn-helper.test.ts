import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { GitOutput, GitRunOptions } from './exec.js';
import { createRunner } from './exec.js';
import { GitNotFoundError } from './git-binary.js';
import { GitSpawnHelperError, gitSpawnHelperPid, stopGitSpawnHelper } from './spawn-helper.js';

const execFileP = promisify(execFile);
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'gantry-spawn-helper-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  stopGitSpawnHelper();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs `fn` with the helper forced on or off (the variable wins over `useGitSpawnHelper`). */
async function withHelper<T>(on: boolean, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.GANTRY_GIT_SPAWN_HELPER;
  process.env.GANTRY_GIT_SPAWN_HELPER = on ? '1' : '0';
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.GANTRY_GIT_SPAWN_HELPER;
    else process.env.GANTRY_GIT_SPAWN_HELPER = saved;
  }
}

async function bareRepo(): Promise<string> {
  const dir = tempDir();
  await execFileP('git', ['init', '--quiet', '--bare', dir]);
  return dir;
}

describe('the git spawn helper', () => {
  it('GIVEN commands WHEN run through the helper THEN the same results as spawned directly', async () => {
    // GIVEN a repository and commands exercising exit codes, stderr, input, env and a lock file
    const dir = await bareRepo();
    const lockFile = join(tempDir(), 'x.lock');
    const env = { GIT_AUTHOR_NAME: 'A U Thor', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_AUTHOR_DATE: '@0 +0000' };
    const cases: Array<[readonly string[], GitRunOptions?]> = [
      [['rev-parse', '--git-dir']],
      [['nosuch']],
      [['cat-file', '-t', 'deadbeef']],
      [['hash-object', '-w', '--stdin'], { input: 'hello\n' }],
      [['hash-object', '--stdin'], { input: '' }],
      [['var', 'GIT_AUTHOR_IDENT'], { env }],
      [['config', '--get', 'credential.helper']],
      [['rev-parse', '--git-dir'], { lockFile }],
    ];
    const runAll = async (on: boolean) => {
      let spawned = 0;
      const run = createRunner(dir, () => {
        spawned++;
      });
      const outs: GitOutput[] = [];
      await withHelper(on, async () => {
        for (const [args, options] of cases) outs.push(await run(args, options));
      });
      return { outs, spawned };
    };
    // WHEN run both ways
    const direct = await runAll(false);
    const helped = await runAll(true);
    // THEN the same codes, output and process counts; the helper did run
    expect(helped).toEqual(direct);
    expect(direct.outs.map((o) => o.code)).toEqual([0, 1, 128, 0, 0, 0, 0, 0]);
    expect(direct.outs[5]?.stdout).toBe('A U Thor <a@example.com> 0 +0000\n');
    expect(gitSpawnHelperPid()).toBeDefined();
  });

  it('GIVEN no git on the PATH WHEN run through the helper THEN GitNotFoundError, as spawned directly', async () => {
    const saved = process.env.PATH;
    process.env.PATH = tempDir();
    try {
      const run = createRunner(tempDir(), () => undefined);
      await withHelper(true, async () => {
        await expect(run(['--version'])).rejects.toBeInstanceOf(GitNotFoundError);
      });
    } finally {
      process.env.PATH = saved;
    }
  });

  it('GIVEN a missing working directory WHEN run through the helper THEN the ENOENT spawn error, as directly', async () => {
    const run = createRunner(join(tempDir(), 'gone'), () => undefined);
    const direct = await withHelper(false, () => run(['--version']).catch((e: unknown) => e));
    const helped = await withHelper(true, () => run(['--version']).catch((e: unknown) => e));
    expect(helped).toMatchObject({ code: 'ENOENT', syscall: 'spawn git', message: (direct as Error).message });
  });

  it('GIVEN a command running WHEN the helper dies THEN it is rejected, and the next command starts a new helper', async () => {
    const dir = await bareRepo();
    const run = createRunner(dir, () => undefined);
    await withHelper(true, async () => {
      // GIVEN a command that takes a while (an alias running a shell)
      const slow = run(['-c', 'alias.slow=!sleep 2', 'slow']);
      const first = gitSpawnHelperPid();
      expect(first).toBeDefined();
      // WHEN the helper is killed
      process.kill(first ?? 0, 'SIGKILL');
      // THEN the pending command fails with the helper's error, not a hang
      await expect(slow).rejects.toBeInstanceOf(GitSpawnHelperError);
      // AND the next command runs in a new helper
      const out = await run(['rev-parse', '--is-bare-repository']);
      expect(out).toEqual({ code: 0, stdout: 'true\n', stderr: '' });
      expect(gitSpawnHelperPid()).not.toBe(first);
    });
  });

  it('GIVEN a process using the helper WHEN its work is done THEN it exits, and the helper with it', async () => {
    // GIVEN a node script that runs git through the helper and does nothing else
    const exec = new URL('./exec.ts', import.meta.url).pathname;
    const helper = new URL('./spawn-helper.ts', import.meta.url).pathname;
    const script = `import { createRunner, useGitSpawnHelper } from ${JSON.stringify(exec)};
      import { gitSpawnHelperPid } from ${JSON.stringify(helper)};
      useGitSpawnHelper();
      const out = await createRunner(process.cwd(), () => {})(['--version']);
      console.log(JSON.stringify({ code: out.code, pid: gitSpawnHelperPid() }));`;
    const env = { ...process.env };
    delete env.GANTRY_GIT_SPAWN_HELPER;
    // WHEN it runs (execFile resolves when it has exited)
    const { stdout } = await execFileP(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env,
      timeout: 60_000,
    });
    // THEN it ran git and exited by itself
    const result = JSON.parse(stdout) as { code: number; pid: number };
    expect(result.code).toBe(0);
    // AND its helper ends too (it exits on the channel's disconnect)
    let alive = true;
    for (let i = 0; i < 200 && alive; i++) {
      try {
        process.kill(result.pid, 0);
        await new Promise((r) => setTimeout(r, 50));
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
  }, 70_000);
});
