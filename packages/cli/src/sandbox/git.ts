import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gitSpawnError } from '@gantry/git';

const run = promisify(execFile);

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Sandbox',
  GIT_AUTHOR_EMAIL: 'sandbox@gantry.local',
  GIT_COMMITTER_NAME: 'Sandbox',
  GIT_COMMITTER_EMAIL: 'sandbox@gantry.local',
};

/** Runs git for the sandbox's own setup (not Gantry's promotion path, which lives in @gantry/git). */
export async function git(args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run('git', [...args], { cwd, env: { ...process.env, ...IDENTITY } });
    return stdout;
  } catch (e) {
    throw gitSpawnError(e);
  }
}
