/**
 * How fast the installed CLI starts (`BENCH_ONLY=cli-start`): the package packed and installed
 * into an empty project as a user gets it, its sandbox made, then `--help`, `validate` and
 * `status` timed beside `node -e 0` (the floor: a Node.js process that loads nothing). Each is
 * run once before timing, as a user's second call: the config is compiled (and type-checked)
 * on the first and cached.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { installProject, packGantry } from '../test/packaging/npm-project.js';
import { resetDir } from './git-bench.js';
import { fmt, median, row } from './sh.js';

/** Wall time of one process, start to exit (it must succeed). */
function timeProcess(args: readonly string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')} exited ${code}: ${err}`)),
    );
  });
}

async function medianOf(runs: number, args: readonly string[], cwd: string): Promise<number> {
  await timeProcess(args, cwd); // warm: caches filled, files in the page cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeProcess(args, cwd));
  return median(times);
}

export async function cliStartBench(root: string, runs: number): Promise<void> {
  console.log(
    `\nCLI start: the packed package installed into an empty project, median of ${runs} (after one warm run)`,
  );
  const dir = await resetDir(join(root, 'cli-start'));
  const project = join(dir, 'project');
  await installProject(project, await packGantry(join(dir, 'packed')));
  const bin = join(project, 'node_modules', 'gantry', 'bin', 'gantry.js');
  const sandbox = join(project, 'sandbox');
  await timeProcess([bin, 'sandbox', 'init', sandbox], project);

  const floor = await medianOf(runs, ['-e', '0'], project);
  row('node -e 0 (the floor)', fmt(floor), 'baseline');
  const figures: Array<[string, string[], number]> = [
    ['gantry --help', ['--help'], 2],
    ['gantry validate (sandbox, gantry.config.ts)', ['validate'], 4],
    ['gantry status (sandbox)', ['status'], 4],
  ];
  for (const [label, args, target] of figures) {
    const ms = await medianOf(runs, [bin, ...args], sandbox);
    row(label, fmt(ms), `${(ms / floor).toFixed(1)}x floor (target <= ${target}x)`);
  }
}
