/**
 * `npm run bench`: Gantry against baselines measured in the same run (see shared/BENCHMARKS.md).
 * Prints figures and ratios; asserts nothing about time. Set BENCH_SERVICES / BENCH_HISTORY to
 * shrink the realistic repository for a quick look.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gitFloorPromotion, gluePromotion } from './baselines.js';
import { gantryRig, promoteTo, resetDir, servicePipeline, verifyLanded } from './git-bench.js';
import { fakeDigest, generateRealisticRepo, servicePath } from './realistic-repo.js';
import { processBurst } from './burst-processes.js';
import { deploymentBench, trackLatencyBench } from './deployment-bench.js';
import { gatesBench } from './gates-bench.js';
import { layoutsBench } from './layouts-bench.js';
import { apiLatencyBench, webhookBench } from './server-bench.js';
import { registryRequestsBench } from './registry-bench.js';
import { uiBench } from './ui-bench.js';
import { metricsBench } from './metrics-bench.js';
import { cliStartBench } from './cli-start-bench.js';
import { fleetBench } from './fleet-bench.js';
import { fleetApiBench } from './fleet-api-bench.js';
import { configLoadBench } from './config-load-bench.js';
import { artifactBench } from './artifact-bench.js';
import { proposalsBench } from './proposals-bench.js';
import { fmt, git, median, percentile, row, timed } from './sh.js';

const ROOT = join(import.meta.dirname, '.work');
const SERVICES = Number(process.env.BENCH_SERVICES ?? 2000);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 3000);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
/** `BENCH_ONLY=server` (or git, layouts, ui, cli-start, metrics, artifacts; comma-separated) runs a part (`fleet`, 10,000 pipelines over 50 repositories and 2 registries, runs only when named: it takes minutes; `fleet-api`, the API at 1,000 and 10,000 pipelines under paced load, runs with it or alone; `config-load`, loading the fleet's gantry.yaml, runs by default and with `fleet`); the server part needs the repository git makes. */
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? 'git,layouts,server,ui,cli-start,config-load,metrics,artifacts').split(','),
);

async function main(): Promise<void> {
  await mkdir(ROOT, { recursive: true });
  const bare = await resetDir(join(ROOT, 'remote.git'));
  console.log(`realistic config repository: ${SERVICES} services x 3 environments, ${HISTORY} earlier commits`);
  const gen = await timed(() => generateRealisticRepo(bare, SERVICES, HISTORY));
  const url = gen.value;
  row('generated with git fast-import', fmt(gen.ms));

  // --- single promotion, warm cache -------------------------------------------------------
  console.log('\npromotion of one service file (warm cache), median of', RUNS);
  const floorClone = await resetDir(join(ROOT, 'floor-clone'));
  await git(['clone', '-q', '--bare', url, floorClone]);
  await git(['config', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*'], floorClone);
  await gitFloorPromotion(floorClone, SERVICES - 1, 'dev', 'warm');
  const floor: number[] = [];
  for (let r = 0; r < RUNS; r++)
    floor.push((await timed(() => gitFloorPromotion(floorClone, r, 'dev', `floor-${r}`))).ms);

  const rig = gantryRig(url, await resetDir(join(ROOT, 'data-single')), [
    servicePipeline(SERVICES - 1),
    ...Array.from({ length: RUNS }, (_, r) => servicePipeline(100 + r)),
  ]);
  await promoteTo(rig, SERVICES - 1, 'staging', 'warm'); // warms the clone cache and the readers
  const gantry: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = await timed(() => promoteTo(rig, 100 + r, 'staging', `gantry-${r}`));
    if (t.value.kind !== 'promoted') throw new Error(`expected a promotion, got ${t.value.kind}`);
    gantry.push(t.ms);
  }
  await rig.close();

  const glue: number[] = [];
  for (let r = 0; r < Math.min(RUNS, 3); r++)
    glue.push((await timed(() => gluePromotion(url, 200 + r, 'dev', `glue-${r}`))).ms);

  const f = median(floor);
  const g = median(gantry);
  const gl = median(glue);
  row('git floor (plumbing, no checkout)', fmt(f), 'baseline');
  row('gantry promote (read, plan, commit, push)', fmt(g), `${(g / f).toFixed(2)}x floor (target <= 1.5x)`);
  row('clone-edit-push glue', fmt(gl), `gantry is ${(gl / g).toFixed(1)}x faster (target >= 5x)`);

  // --- no-change status over 1,000 phases ------------------------------------------------
  const statusServices = Math.ceil(1000 / 3);
  console.log(
    `\nno-change status: ${statusServices} pipelines x 3 phases (${statusServices * 3} phases), one repository`,
  );
  const statusPipelines = Array.from({ length: statusServices }, (_, i) => servicePipeline(500 + i));
  const statusRig = gantryRig(url, join(ROOT, 'data-single'), statusPipelines);
  const before = statusRig.repos.stats();
  const cold = await timed(() => statusRig.engine.status());
  const mid = statusRig.repos.stats();
  const warm = await timed(() => statusRig.engine.status());
  const after = statusRig.repos.stats();
  await statusRig.close();
  const phases = cold.value.reduce((n, p) => n + p.phases.length, 0);
  const errors = cold.value.flatMap((p) => p.phases).filter((p) => p.state === 'error').length;
  row(
    'first status (fresh process)',
    fmt(cold.ms),
    `${phases} phases, ${errors} errors, ${mid.processes - before.processes} git processes, ${mid.fetches - before.fetches} fetch(es)`,
  );
  row(
    'second status (same process)',
    fmt(warm.ms),
    `${after.processes - mid.processes} git processes, ${after.fetches - mid.fetches} fetch(es) (target < 2 s, 1 fetch)`,
  );

  // --- burst of 100 promotions into one repository ---------------------------------------
  console.log('\nburst: 100 promotions (100 pipelines) into one repository at once');
  const burstIds = Array.from({ length: 100 }, (_, k) => 1000 + k);
  const burstRig = gantryRig(
    url,
    join(ROOT, 'data-single'),
    burstIds.map((i) => servicePipeline(i)),
  );
  await burstRig.engine.status(); // warm: the burst measures promotions, not the first clone
  const b0 = burstRig.repos.stats();
  const started = performance.now();
  const results = await Promise.all(
    burstIds.map(async (i) => {
      const t = await timed(() => promoteTo(burstRig, i, 'production', `burst-${i}`));
      return { i, ms: t.ms, outcome: t.value };
    }),
  );
  const total = performance.now() - started;
  const b1 = burstRig.repos.stats();
  await burstRig.close();
  const landed = await verifyLanded(
    bare,
    results.flatMap((r) =>
      r.outcome.kind === 'promoted'
        ? [
            {
              promotionId: r.outcome.promotionId,
              path: servicePath(r.i, 'production'),
              digest: fakeDigest(`burst-${r.i}`),
            },
          ]
        : [],
    ),
  );
  const latencies = results.map((r) => r.ms);
  row('total', fmt(total), 'target < 3 s');
  row('p50 / p99 per promotion', `${fmt(median(latencies))} / ${fmt(percentile(latencies, 99))}`);
  row('pushes', String(b1.pushes - b0.pushes), `for ${b1.commits - b0.commits} commits (group commit)`);
  row(
    'landed (commit with own Gantry-Promotion-Id)',
    `${landed.withTrailers}/100`,
    `${landed.filesHoldingDigest}/100 files hold their digest`,
  );

  // --- the same burst from 4 processes sharing one data directory ---------------------------
  console.log('\nburst: 100 promotions from 4 processes sharing one data directory');
  const multiIds = Array.from({ length: 100 }, (_, k) => 1200 + k);
  const multi = await processBurst(url, join(ROOT, 'data-single'), multiIds, 4);
  const multiLanded = await verifyLanded(
    bare,
    multi.results.flatMap((r) =>
      r.promotionId
        ? [{ promotionId: r.promotionId, path: servicePath(r.i, 'production'), digest: fakeDigest(`multi-${r.i}`) }]
        : [],
    ),
  );
  const ownCommits = new Set(multi.results.map((r) => r.commit).filter(Boolean)).size;
  row('total', fmt(multi.ms), `${fmt(total)} from one process`);
  row('pushes', String(multi.pushes), `${b1.pushes - b0.pushes} from one process`);
  row(
    'landed (commit with own Gantry-Promotion-Id)',
    `${multiLanded.withTrailers}/100`,
    `${multiLanded.filesHoldingDigest}/100 files hold their digest, ${ownCommits} distinct commits reported`,
  );
}

if (ONLY.has('git') || ONLY.has('server')) await main();
if (ONLY.has('layouts')) await layoutsBench(ROOT, RUNS);
if (ONLY.has('server')) {
  await apiLatencyBench(ROOT, Math.min(1000, SERVICES));
  await registryRequestsBench(ROOT, Math.min(1000, SERVICES));
  await webhookBench(ROOT, Math.max(3, Math.min(RUNS, 7)));
  await deploymentBench(ROOT, Math.max(3, Math.min(RUNS, 7)));
  await trackLatencyBench(ROOT, Math.max(3, Math.min(RUNS, 7)));
}
if (ONLY.has('gates') || ONLY.has('git')) await gatesBench(Math.max(3, Math.min(RUNS, 7)));
if (ONLY.has('ui')) await uiBench();
if (ONLY.has('cli-start')) await cliStartBench(ROOT, RUNS);
if (ONLY.has('config-load') || ONLY.has('fleet')) await configLoadBench(ROOT);
if (ONLY.has('fleet')) await fleetBench(ROOT);
if (ONLY.has('fleet-api') || ONLY.has('fleet')) await fleetApiBench();
if (ONLY.has('metrics')) await metricsBench(ROOT);
if (ONLY.has('artifacts')) await artifactBench(ROOT);
// pull requests through the GitHub fake (only when named: `BENCH_ONLY=proposals`)
if (ONLY.has('proposals')) await proposalsBench(Math.max(3, Math.min(RUNS, 7)));
