/**
 * How long loading gantry.yaml takes at fleet scale (`npx tsx bench/config-load-bench.ts`):
 * bench/fleet-gen.ts's configuration at 1,000 and 10,000 pipelines (a ~120,000-line file),
 * loaded by `loadSystem` (read, interpolate, validate, build and check every pipeline) as
 * `gantry serve` does at start, in a fresh process each time: median of BENCH_RUNS (3) of the
 * wall and CPU time of the load alone, and the process's peak RSS. Nothing is contacted: the
 * repositories and registries are named, not reached.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fleetConfig } from './fleet-gen.js';
import { fmt, median, row } from './sh.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** What the child prints: the load's wall and CPU time (ms) and the peak RSS (MB). */
interface Sample {
  readonly wall: number;
  readonly cpu: number;
  readonly rssMb: number;
}

const CHILD = `
import { loadSystem } from '@gantry/config';
const started = performance.now();
const cpu = process.cpuUsage();
await loadSystem({ cwd: process.argv[1], env: {} });
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({
  wall: performance.now() - started,
  cpu: (used.user + used.system) / 1000,
  rssMb: process.resourceUsage().maxRSS / 1024,
}));
`;

function loadOnce(dir: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, dir], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim()) as Sample) : reject(new Error(`load exited ${code}: ${err}`)),
    );
  });
}

export async function configLoadBench(root: string): Promise<void> {
  console.log(`\nloading gantry.yaml (loadSystem, fresh process), median of ${RUNS}`);
  const repos = Array.from({ length: 50 }, (_, k) => `file:///tmp/x/repo-${k}.git`);
  for (const pipelines of [1000, 10_000]) {
    const dir = join(root, `config-load-${pipelines}`);
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'gantry.yaml'),
      fleetConfig(pipelines, repos, ['http://127.0.0.1:1', 'http://127.0.0.1:2']),
    );
    const samples: Sample[] = [];
    for (let r = 0; r < RUNS; r++) samples.push(await loadOnce(dir));
    row(
      `${pipelines.toLocaleString('en')} pipelines`,
      fmt(median(samples.map((s) => s.wall))),
      `CPU ${fmt(median(samples.map((s) => s.cpu)))}, peak RSS ${median(samples.map((s) => s.rssMb)).toFixed(0)} MB`,
    );
  }
}

if (import.meta.filename === process.argv[1]) await configLoadBench(join(import.meta.dirname, '.work'));
