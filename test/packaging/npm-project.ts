import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGE_DIR = join(ROOT, 'packages', 'gantry');

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a command run as a user would in their own project: none of the variables
 * this test runner (vitest, npm running it) sets for itself.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(VITEST|VITE_|TEST$|NODE_OPTIONS$|npm_)/i.test(k)) env[k] = v;
  }
  return { ...env, CI: 'true', NO_COLOR: '1', ...extra };
}

/** Runs a command to its end (or kills it after `timeoutMs`), collecting its output. */
export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: options.env ?? userEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr }));
  });
}

const must = (what: string, r: Run): Run => {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r;
};

/** `npm pack` of the published package (its `prepack` builds it) into `dest`; the tarball's path. */
export async function packGantry(dest: string): Promise<string> {
  await mkdir(dest, { recursive: true });
  const r = must(
    'npm pack',
    await run('npm', ['pack', '--json', '--pack-destination', dest], PACKAGE_DIR, { timeoutMs: 600_000 }),
  );
  const [packed] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string }>;
  if (!packed) throw new Error(`npm pack named no tarball:\n${r.stdout}`);
  return join(dest, packed.filename);
}

/** The version of a package installed in the repository (to install the same one, from npm's cache). */
async function repositoryVersion(name: string): Promise<string> {
  return (JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;
}

/**
 * A user's project in `dir` with the tarball installed, and typescript, @types/node and vitest
 * of the repository's versions. Everything comes from npm's cache, which installing the repository
 * filled: offline when the cache also holds the registry's package documents, else asking the
 * registry for those only (`--prefer-offline`; the tarballs still come from the cache).
 *
 * Install scripts are not run: the one that matters, better-sqlite3's, would download a prebuilt
 * binary (no network here) or compile SQLite for a minute; the repository's build of the same
 * version is copied instead, which is what that script would have produced on this machine.
 */
export async function installProject(dir: string, tarball: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'my-gantry-config', private: true, type: 'module' }, null, 2)}\n`,
  );
  const packages = [
    tarball,
    `typescript@${await repositoryVersion('typescript')}`,
    `@types/node@${await repositoryVersion('@types/node')}`,
    `vitest@${await repositoryVersion('vitest')}`,
  ];
  const flags = ['--ignore-scripts', '--no-audit', '--no-fund', '--save-dev'];
  const env = userEnv();
  let r = await run('npm', ['install', '--offline', ...flags, ...packages], dir, { env, timeoutMs: 300_000 });
  if (r.code !== 0 && /ENOTCACHED/.test(r.stderr)) {
    r = await run('npm', ['install', '--prefer-offline', ...flags, ...packages], dir, { env, timeoutMs: 300_000 });
  }
  must('npm install', r);
  await provideSqliteBinding(dir);
}

async function provideSqliteBinding(dir: string): Promise<void> {
  const theirs = join(dir, 'node_modules', 'better-sqlite3');
  const ours = join(ROOT, 'node_modules', 'better-sqlite3');
  const version = async (d: string) =>
    (JSON.parse(await readFile(join(d, 'package.json'), 'utf8')) as { version: string }).version;
  if ((await version(theirs)) !== (await version(ours))) {
    must('npm rebuild better-sqlite3', await run('npm', ['rebuild', 'better-sqlite3'], dir, { timeoutMs: 600_000 }));
    return;
  }
  const binding = join('build', 'Release', 'better_sqlite3.node');
  await mkdir(join(theirs, 'build', 'Release'), { recursive: true });
  await copyFile(join(ours, binding), join(theirs, binding));
}
