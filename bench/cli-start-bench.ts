/**
 * How fast the installed CLI starts (`BENCH_ONLY=cli-start`): the package packed and installed
 * into an empty project as a user gets it, its sandbox made, then `--help`, `validate` and
 * `status` timed beside `node -e 0` (the floor: a Node.js process that loads nothing). Each is
 * run once before timing, as a user's second call: the config is compiled (and type-checked)
 * on the first and cached. Beside the wall time, the CPU time the runs took (user + system, the
 * processes they started such as git included): on a loaded machine the wall time measures the
 * load as much as the CLI.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
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

/**
 * CPU time (ms) of this process's children that have ended: cutime + cstime of /proc/self/stat
 * (clock ticks, 100 a second on Linux). Node.js has no call for it; undefined elsewhere.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // the fields after the command name (which may hold spaces): state is field 3, cutime 16, cstime 17
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

/** Median wall time and mean CPU time of `runs` runs (after a warm one). */
async function measure(runs: number, args: readonly string[], cwd: string): Promise<{ wall: number; cpu?: number }> {
  await timeProcess(args, cwd); // warm: caches filled, files in the page cache
  const times: number[] = [];
  const before = childrenCpuMs();
  for (let i = 0; i < runs; i++) times.push(await timeProcess(args, cwd));
  const after = childrenCpuMs();
  return {
    wall: median(times),
    ...(before !== undefined && after !== undefined ? { cpu: (after - before) / runs } : {}),
  };
}

const cpuNote = (cpu: number | undefined, floor: number | undefined) =>
  cpu === undefined || floor === undefined ? '' : `; CPU ${fmt(cpu)} = ${(cpu / floor).toFixed(1)}x`;

export async function cliStartBench(root: string, runs: number): Promise<void> {
  console.log(
    `\nCLI start: the packed package installed into an empty project, median wall time of ${runs} (after one warm run), mean CPU time; load average ${loadavg()[0]?.toFixed(1)}`,
  );
  const dir = await resetDir(join(root, 'cli-start'));
  const project = join(dir, 'project');
  await installProject(project, await packGantry(join(dir, 'packed')));
  const bin = join(project, 'node_modules', 'gantry', 'bin', 'gantry.js');
  const sandbox = join(project, 'sandbox');
  await timeProcess([bin, 'sandbox', 'init', sandbox], project);

  const floor = await measure(runs, ['-e', '0'], project);
  row('node -e 0 (the floor)', fmt(floor.wall), `baseline${cpuNote(floor.cpu, floor.cpu)}`);
  const figures: Array<[string, string[], number]> = [
    ['gantry --help', ['--help'], 2],
    ['gantry validate (sandbox, gantry.config.ts)', ['validate'], 4],
    ['gantry status (sandbox)', ['status'], 4],
  ];
  for (const [label, args, target] of figures) {
    const m = await measure(runs, [bin, ...args], sandbox);
    row(
      label,
      fmt(m.wall),
      `${(m.wall / floor.wall).toFixed(1)}x floor (target <= ${target}x)${cpuNote(m.cpu, floor.cpu)}`,
    );
  }
}
