import { spawn } from 'node:child_process';
import { gitSpawnError } from './git-binary.js';
import { spawnInHelper } from './spawn-helper.js';

/** What one git invocation produced. */
export interface GitOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface GitRunOptions {
  readonly input?: string;
  /** Extra environment for this child only (credentials, GIT_INDEX_FILE, identities). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * A lock file held while the command runs: `flock(1)` runs git holding it, the same OS lock
   * other processes take with `fileLock` (one process started, not a lock holder and git).
   */
  readonly lockFile?: string;
}

/** Runs one git command in one repository; never throws for a non-zero exit. */
export type GitRunner = (args: readonly string[], options?: GitRunOptions) => Promise<GitOutput>;

/** Variables from the parent that would point git somewhere else than the repository we name. */
const INHERITED_GIT_VARS = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
  'GIT_COMMON_DIR',
  'GIT_ASKPASS',
  'SSH_ASKPASS',
  'GIT_SSH_COMMAND',
  'GIT_CONFIG_COUNT',
];

/** The environment every git child gets: the parent's, minus repository pointers, plus `extra`. */
export function gitEnv(gitDir: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of INHERITED_GIT_VARS) delete env[k];
  return {
    ...env,
    GIT_DIR: gitDir,
    // stable, parseable messages
    LC_ALL: 'C',
    LANG: 'C',
    GIT_TERMINAL_PROMPT: '0',
    // no credential helper of the user's may store or supply secrets for Gantry's remotes
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'credential.helper',
    GIT_CONFIG_VALUE_0: '',
    ...extra,
  };
}

let helperChosen = false;

/**
 * Makes this process's git runners start their commands through the git spawn helper (a small
 * Node process, see spawn-helper.ts) instead of spawning them: `spawn` stops the main thread
 * until the child has exec'd, 7-30 ms each in a large or busy server. For long-running
 * processes (`gantry serve`); a short command would pay the helper's start for nothing.
 * `GANTRY_GIT_SPAWN_HELPER=1` or `=0` overrides what the process chose (tests, A/B benches).
 */
export function useGitSpawnHelper(on = true): void {
  helperChosen = on;
}

/** Whether commands started now go through the helper. */
export function gitSpawnHelperEnabled(): boolean {
  const forced = process.env.GANTRY_GIT_SPAWN_HELPER;
  return forced === '1' ? true : forced === '0' ? false : helperChosen;
}

/** A runner bound to one repository directory, counting every process it starts. */
export function createRunner(gitDir: string, onSpawn: () => void): GitRunner {
  return (args, options = {}) => {
    // `-o`: git does not inherit the lock's descriptor; the lock ends with flock, when git ends
    const [command, argv] = options.lockFile ? ['flock', ['-o', options.lockFile, 'git', ...args]] : ['git', args];
    if (!gitSpawnHelperEnabled()) return spawnHere(gitDir, command, argv, options, onSpawn);
    onSpawn();
    const env = gitEnv(gitDir, options.env);
    return spawnInHelper({
      command,
      args: argv,
      cwd: gitDir,
      env,
      ...(options.input !== undefined ? { input: options.input } : {}),
    }).catch((e: unknown) => {
      throw gitSpawnError(e);
    });
  };
}

function spawnHere(
  gitDir: string,
  command: string,
  argv: readonly string[],
  options: GitRunOptions,
  onSpawn: () => void,
): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    onSpawn();
    const child = spawn(command, argv, {
      cwd: gitDir,
      env: gitEnv(gitDir, options.env),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    // no git on the PATH is a setup problem with its own code, not an ENOENT stack trace
    child.on('error', (e) => reject(gitSpawnError(e)));
    child.on('close', (code) => {
      resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}
