import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { OciImage, Pipeline } from '@gantry/core';
import { createEngine, createServices, createSystem, definePipeline, ociImageByTag, silentLogger } from '@gantry/core';
import { createGitRepositories, gitFile, gitRepositoriesKey } from '@gantry/git';
import { createBareRepo } from '@gantry/testing';
import { fluxImagePolicy, helmValues } from '@gantry/updaters';
import { resetDir } from './git-bench.js';
import { fmt, git, median, row, timed } from './sh.js';

const VALUES = 'charts/app/values.yaml';
const MARKED = 'clusters/production/apps.yaml';

/** A values file of about 2,000 lines: Helm's image block among many commented components. */
function bigValues(): string {
  const lines = [
    '# Default values for app.',
    'image:',
    '  repository: ghcr.io/example/app',
    '  pullPolicy: IfNotPresent',
    '  tag: "1.0.0"',
    '',
  ];
  for (let i = 0; lines.length < 2000; i++) {
    lines.push(
      `# component ${i}`,
      `component${i}:`,
      '  enabled: true',
      `  replicas: ${i % 5}`,
      `  image: { repository: ghcr.io/example/c${i}, tag: "2.${i}.0" }`,
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** 200 Deployments in one file, each with its own image policy marker; the target is number 137. */
function manyDocuments(): string {
  return Array.from(
    { length: 200 },
    (_, i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  template:
    spec:
      containers:
      - name: app
        image: ghcr.io/example/app-${i}:1.0.0 # {"$imagepolicy": "flux-system:app-${i}"}
`,
  ).join('---\n');
}

/** The Git floor for one value change: fetch, read at the tip, replace, hash, tree, commit, push; no checkout. */
async function floor(clone: string, path: string, replace: (text: string) => string, seed: string): Promise<void> {
  await git(['fetch', '-q', 'origin', '+refs/heads/main:refs/remotes/origin/main'], clone);
  const tip = (await git(['rev-parse', 'refs/remotes/origin/main'], clone)).trim();
  const next = replace(await git(['cat-file', 'blob', `${tip}:${path}`], clone));
  const blob = (await git(['hash-object', '-w', '--stdin'], clone, next)).trim();
  const env = { GIT_INDEX_FILE: join(clone, `layouts-index-${process.pid}`) };
  await git(['read-tree', tip], clone, undefined, env);
  await git(['update-index', '--cacheinfo', `100644,${blob},${path}`], clone, undefined, env);
  const tree = (await git(['write-tree'], clone, undefined, env)).trim();
  const who = {
    GIT_AUTHOR_NAME: 'floor',
    GIT_AUTHOR_EMAIL: 'f@example.com',
    GIT_COMMITTER_NAME: 'floor',
    GIT_COMMITTER_EMAIL: 'f@example.com',
  };
  const commit = (await git(['commit-tree', tree, '-p', tip, '-m', `floor ${seed}`], clone, undefined, who)).trim();
  await git(['push', '-q', 'origin', `${commit}:refs/heads/main`], clone);
}

/**
 * Promotion of a Helm `image.tag` in a 2,000-line values file, and of a Flux image policy
 * marker in a 200-document file, each beside the Git floor for the same change.
 */
export async function layoutsBench(root: string, runs: number): Promise<void> {
  console.log(`\nlayouts: one value in a large file (median of ${runs})`);
  const bare = await resetDir(join(root, 'layouts.git'));
  const url = await createBareRepo(bare, { [VALUES]: bigValues(), [MARKED]: manyDocuments() });
  const clone = await resetDir(join(root, 'layouts-floor'));
  await git(['clone', '-q', '--bare', url, clone]);

  const pipelines: Pipeline<OciImage>[] = [
    definePipeline({
      name: 'helm',
      resource: ociImageByTag,
      phases: [
        {
          name: 'production',
          source: gitFile({ repository: 'config', path: VALUES, updater: helmValues({ tag: 'image.tag' }) }),
        },
      ],
    }),
    definePipeline({
      name: 'flux',
      resource: ociImageByTag,
      phases: [
        {
          name: 'production',
          source: gitFile({
            repository: 'config',
            path: MARKED,
            updater: fluxImagePolicy({ policy: 'flux-system:app-137' }),
          }),
        },
      ],
    }),
  ];
  const repos = createGitRepositories({
    dataDir: await resetDir(join(root, 'layouts-data')),
    remotes: { config: { url, branch: 'main', staleAfter: { ms: 0 } } },
    logger: silentLogger,
  });
  const services = createServices();
  services.set(gitRepositoriesKey, repos);
  const engine = createEngine({ system: createSystem({ pipelines }), context: { services, logger: silentLogger } });
  const promote = async (name: string, repository: string, tag: string) => {
    const target: OciImage = { kind: 'oci-image', repository, tag };
    const out = await engine.promote(name, 'production', { target, promotionId: randomUUID() });
    if (out.kind !== 'promoted') throw new Error(`expected a promotion, got ${out.kind}`);
  };

  const cases = [
    {
      label: 'helm image.tag, 2,000-line values file',
      gantry: (n: number) => promote('helm', 'ghcr.io/example/app', `1.1.${n}`),
      floor: (n: number) =>
        floor(clone, VALUES, (t) => t.replace(/^ {2}tag: "[^"]*"$/m, `  tag: "9.1.${n}"`), `helm-${n}`),
    },
    {
      label: 'flux marker, 200-document file',
      gantry: (n: number) => promote('flux', 'ghcr.io/example/app-137', `1.1.${n}`),
      floor: (n: number) =>
        floor(clone, MARKED, (t) => t.replace(/app-137:[^ ]+ #/, `app-137:9.1.${n} #`), `flux-${n}`),
    },
  ];
  for (const c of cases) {
    await c.gantry(999); // warms the clone cache
    await c.floor(999);
    const g: number[] = [];
    const f: number[] = [];
    for (let r = 0; r < runs; r++) {
      f.push((await timed(() => c.floor(r))).ms);
      g.push((await timed(() => c.gantry(r))).ms);
    }
    row(`${c.label}: git floor`, fmt(median(f)), 'baseline');
    row(`${c.label}: gantry`, fmt(median(g)), `${(median(g) / median(f)).toFixed(2)}x floor (target <= 1.5x)`);
  }
  await repos.close();
}
