/**
 * Proposals against the GitHub fake on loopback, over real Git (`BENCH_ONLY=proposals`, or
 * `npx tsx bench/proposals-bench.ts` alone): an upstream change -> its pull request open and
 * current, beside a direct commit of the same change; then 100 pipelines proposing into one
 * repository, and a new version for all of them at once (total time, API calls per proposal).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import { commitToBareRepo, readBareFile, startGitHttpServer, startGitHubFake, tempDir } from '@gantry/testing';
import { fmt, median, row, timed } from './sh.js';

const TOKEN = 'ghp_benchProposals000000000000000000000';
const phase = (name: string, path: string, write: 'commit' | 'proposal') => `  - name: ${name}
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: sandbox, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        write: ${write}
        source: { type: git, repository: config, path: ${path}, updater: { type: kubernetes-image, container: app } }
`;

export async function proposalsBench(runs: number, fleet = 100): Promise<void> {
  const tmp = await tempDir('gantry-bench-proposals-');
  try {
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    const bare = join(dir, 'config.git');
    const text = await readBareFile(bare, 'main', 'env/staging/deployment.yaml');
    const files: Record<string, string> = { 'env/direct/deployment.yaml': text, 'env/single/deployment.yaml': text };
    for (let i = 0; i < fleet; i++) files[`env/svc-${i}/deployment.yaml`] = text;
    await commitToBareRepo(bare, { files, message: 'bench layout' });
    const git = await startGitHttpServer({ root: dir });
    const github = await startGitHubFake({ repositories: { 'acme/config': bare }, tokens: { [TOKEN]: 'bot' } });
    await writeFile(
      join(dir, 'gantry.yaml'),
      `dataDir: .gantry
logLevel: warn
repositories:
  config:
    url: ${git.url}/config.git
    branch: main
    provider: { kind: github, repository: acme/config, token: ${TOKEN}, apiUrl: "${github.url}", pollInterval: 0s }
registries:
  sandbox: { layout: ./registry, host: localhost:5000 }
pipelines:
${phase('direct', 'env/direct/deployment.yaml', 'commit')}${phase('single', 'env/single/deployment.yaml', 'proposal')}${Array.from(
  { length: fleet },
  (_, i) => phase(`svc-${i}`, `env/svc-${i}/deployment.yaml`, 'proposal'),
).join('')}`,
    );
    const rt = await openRuntime({ cwd: dir, env: {}, logger: silentLogger });
    let images = 0;
    const newVersion = () => pushSandboxImage(dir, new Date(Date.UTC(2031, 0, 1, 0, 0, ++images)));
    try {
      await rt.engine.status('direct'); // warm: the clone and the registry's first read
      console.log(
        `\nproposals: upstream change -> pull request open and current (GitHub fake, real Git), median of ${runs}`,
      );
      const direct: number[] = [];
      const proposed: number[] = [];
      const calls: number[] = [];
      for (let r = 0; r < runs; r++) {
        await newVersion();
        const d = await timed(() => rt.engine.promote('direct', 'staging'));
        if (d.value.kind !== 'promoted') throw new Error(`direct: ${d.value.kind}`);
        direct.push(d.ms);
        const before = github.requests().length;
        const p = await timed(() => rt.engine.promote('single', 'staging'));
        if (p.value.kind !== 'proposed') throw new Error(`single: ${p.value.kind}`);
        proposed.push(p.ms);
        calls.push(github.requests().length - before);
      }
      const dm = median(direct);
      const pm = median(proposed);
      row('direct commit (read, plan, commit, push)', fmt(dm), 'baseline');
      row(
        'proposal (read, plan, push branch, PR open/update)',
        fmt(pm),
        `${(pm / dm).toFixed(2)}x direct; ${median(calls)} API calls (first opens, later update #1)`,
      );

      console.log(`\nproposals: ${fleet} pipelines proposing into one repository`);
      const fleetNames = Array.from({ length: fleet }, (_, i) => `svc-${i}`);
      const round = async (what: string) => {
        await newVersion();
        const before = github.requests().length;
        const pushesBefore = rt.repositories.stats().pushes;
        const started = performance.now();
        const each = await Promise.all(
          fleetNames.map(async (n) => {
            const t = await timed(() => rt.engine.promote(n, 'staging'));
            if (t.value.kind !== 'proposed') throw new Error(`${n}: ${t.value.kind}`);
            return t.ms;
          }),
        );
        const total = performance.now() - started;
        const apiCalls = github.requests().length - before;
        row(
          what,
          fmt(total),
          `${(total / fleet).toFixed(0)} ms/proposal amortised, p50 ${fmt(median(each))}, ${(apiCalls / fleet).toFixed(1)} API calls/proposal, ${rt.repositories.stats().pushes - pushesBefore} pushes`,
        );
      };
      await round(`${fleet} opened at once`);
      await round(`${fleet} updated at once (a new version)`);
      const open = github.pulls('acme/config').filter((p) => p.state === 'open').length;
      row('open pull requests after both rounds', String(open), `expected ${fleet + 1} (one per pipeline)`);
    } finally {
      await rt.close();
      await github.stop();
      await git.stop();
    }
  } finally {
    await tmp.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await proposalsBench(Number(process.env.BENCH_RUNS ?? 5));
