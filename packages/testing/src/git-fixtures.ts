import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';

/** Runs git in `cwd` (a bare repository) and resolves with stdout; rejects with stderr. */
export function runGit(args: readonly string[], cwd: string, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
    for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[k];
    const p = spawn('git', args, { cwd, env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout?.on('data', (d: Buffer) => out.push(d));
    p.stderr?.on('data', (d: Buffer) => err.push(d));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString())
        : reject(new Error(`git ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString()}`)),
    );
    if (input !== undefined && p.stdin) p.stdin.end(input);
  });
}

export interface BareRepoOptions {
  /** The first branch, holding `files`; `main` by default. */
  readonly branch?: string;
  /** More branches, each one commit on top of the first with these files changed (`{}`: same commit). */
  readonly branches?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const FIXTURE_IDENTITY = 'Fixture <fixture@example.com>';
let clock = 1_700_000_000;

const data = (s: string): string => `data ${Buffer.byteLength(s)}\n${s}\n`;
const fileLines = (files: Readonly<Record<string, string>>): string =>
  Object.entries(files)
    .map(([path, content]) => `M 100644 inline ${path}\n${data(content)}`)
    .join('');

/**
 * A bare repository at `dir` whose branch holds exactly `files`, in one commit (plus one
 * commit per extra branch). Pushes over smart HTTP are allowed (`http.receivepack`).
 * Returns the `file://` URL.
 */
export async function createBareRepo(
  dir: string,
  files: Readonly<Record<string, string>>,
  options: BareRepoOptions = {},
): Promise<string> {
  const branch = options.branch ?? 'main';
  await mkdir(dir, { recursive: true });
  await runGit(['init', '--quiet', '--bare', '-b', branch], dir);
  await runGit(['config', 'http.receivepack', 'true'], dir);
  const t = clock++;
  let stream = `commit refs/heads/${branch}\nmark :1\ncommitter ${FIXTURE_IDENTITY} ${t} +0000\n${data('initial layout')}${fileLines(files)}\n`;
  for (const [name, changed] of Object.entries(options.branches ?? {})) {
    if (Object.keys(changed).length === 0) {
      stream += `reset refs/heads/${name}\nfrom :1\n\n`;
    } else {
      stream += `commit refs/heads/${name}\ncommitter ${FIXTURE_IDENTITY} ${clock++} +0000\n${data(`set up ${name}`)}from :1\n${fileLines(changed)}\n`;
    }
  }
  await runGit(['fast-import', '--quiet'], dir, stream);
  return `file://${dir}`;
}

export interface FixtureCommit {
  readonly branch?: string;
  readonly files: Readonly<Record<string, string>>;
  readonly message?: string;
}

/** Commits straight into a bare repository, as another writer pushing would; returns the new SHA. */
export async function commitToBareRepo(dir: string, commit: FixtureCommit): Promise<string> {
  const branch = commit.branch ?? 'main';
  const parent = (await runGit(['rev-parse', `refs/heads/${branch}`], dir)).trim();
  const stream = `commit refs/heads/${branch}\ncommitter ${FIXTURE_IDENTITY} ${clock++} +0000\n${data(commit.message ?? 'someone else')}from ${parent}\n${fileLines(commit.files)}\n`;
  await runGit(['fast-import', '--quiet'], dir, stream);
  return (await runGit(['rev-parse', `refs/heads/${branch}`], dir)).trim();
}

/** A file's text at a branch of a bare repository. */
export async function readBareFile(dir: string, branch: string, path: string): Promise<string> {
  return runGit(['cat-file', 'blob', `refs/heads/${branch}:${path}`], dir);
}
