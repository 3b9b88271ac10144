import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { GantryError } from '@gantry/core';

/**
 * The oldest git Gantry works with: the sandbox creates repositories with `git init -b`
 * (2.28); everything the clones, readers and writers run is older than that.
 */
export const MIN_GIT_VERSION = '2.28.0';

const INSTALL_HINT =
  'install git (Debian/Ubuntu: apt-get install git; macOS: xcode-select --install) and put it on the PATH';

/** No `git` on the PATH: a broken setup, answered as such (CLI exit 2), never as a stack trace. */
export class GitNotFoundError extends GantryError {
  constructor(path: string | undefined, options?: ErrorOptions) {
    super(
      'git_not_found',
      `git is not installed or not on the PATH: Gantry runs the git command (${MIN_GIT_VERSION} or newer) for every repository; ${INSTALL_HINT}`,
      { path: path ?? '' },
      options,
    );
  }
}

/** The `git` found is older than {@link MIN_GIT_VERSION}. */
export class GitTooOldError extends GantryError {
  constructor(version: string, binary: string) {
    super(
      'git_too_old',
      `git ${version} at ${binary} is older than ${MIN_GIT_VERSION}, which Gantry needs: upgrade git`,
      {
        version,
        binary,
        minimum: MIN_GIT_VERSION,
      },
    );
  }
}

/**
 * What a failed `spawn('git')` means: ENOENT with no git on the PATH is a missing git. Node says
 * ENOENT for a missing working directory too; with a git on the PATH the error stays as it was.
 */
export function gitSpawnError(e: unknown, path: string | undefined = process.env.PATH): unknown {
  const code = (e as { code?: unknown } | undefined)?.code;
  return code === 'ENOENT' && findGit(path) === undefined ? new GitNotFoundError(path, { cause: e }) : e;
}

/** The `git` executable the PATH leads to (as spawn finds it), or undefined. No process is started. */
export function findGit(path: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'git');
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Throws GitNotFoundError unless the PATH has a `git`: a check before commands that will need it. */
export function requireGit(path: string | undefined = process.env.PATH): string {
  const found = findGit(path);
  if (found === undefined) throw new GitNotFoundError(path);
  return found;
}

/** `a` compared with `b`, both dotted numeric versions (`2.39.5`): negative, 0 or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The version in `git --version` output: `git version 2.39.5` and vendor suffixes (`(Apple Git-146)`, `.windows.1`). */
export function parseGitVersion(text: string): string | undefined {
  return /git version (\d+(?:\.\d+){1,2})/.exec(text)?.[1];
}

export interface GitBinary {
  /** Where it is. */
  readonly binary: string;
  /** `2.39.5` */
  readonly version: string;
  /** At least {@link MIN_GIT_VERSION}. */
  readonly supported: boolean;
}

/** Runs `git --version` with `env` (its PATH decides which git). Throws GitNotFoundError when there is none. */
export function gitBinary(env: Readonly<Record<string, string | undefined>> = process.env): Promise<GitBinary> {
  const binary = findGit(env.PATH);
  if (binary === undefined) return Promise.reject(new GitNotFoundError(env.PATH));
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--version'], { env: { ...env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', (e) => reject(gitSpawnError(e, env.PATH)));
    child.on('close', () => {
      const version = parseGitVersion(out);
      if (version === undefined) {
        reject(new GantryError('git_failed', `${binary} --version printed no version: ${out.trim()}`, { binary }));
        return;
      }
      resolve({ binary, version, supported: compareVersions(version, MIN_GIT_VERSION) >= 0 });
    });
  });
}
