import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PipelineStatus } from '@gantry/core';
import type { TempDir, TestHelmRepository } from '@gantry/testing';
import { createBareRepo, hasTool, runGit, startHelmRepository, tempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gantry, json } from '../cli/run-cli.js';
import { day } from './helpers.js';

const FILE = 'clusters/production/podinfo.yaml';
const PASSWORD = 'hunter2-Helm';

// As Flux's HelmRelease reference shows it, with a comment and quoting that must survive
const RELEASE = `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: default
spec:
  interval: 10m
  timeout: 5m
  chart:
    spec:
      chart: podinfo
      version: '6.5.0' # pinned by Gantry
      sourceRef:
        kind: HelmRepository
        name: podinfo
      interval: 5m
  releaseName: podinfo
  install:
    remediation:
      retries: 3
  values:
    replicaCount: 2
`;

const config = (repo: TestHelmRepository) => `dataDir: .gantry
git:
  author: { name: Gantry, email: gantry@example.com }
repositories:
  config: { url: ./config.git, branch: main }
registries:
  charts:
    helm: ${repo.url}
    auth:
      username: ci
      password: \${HELM_PASSWORD}
pipelines:
  - name: podinfo
    resource: helm-chart
    phases:
      - name: charts
        source: { type: helm, registry: charts, chart: podinfo, select: { by: semver, range: '>=6.0.0' } }
      - name: production
        promotesFrom: charts
        source:
          type: git
          repository: config
          path: ${FILE}
          updater: { type: helm-release-chart }
`;

// the same pipeline as code, as docs/configuration.md shows it
const CODE = `import { defineConfig, gitFile, helmChart, helmReleaseChart, helmRepositorySource, pipeline } from 'gantry';

const podinfo = pipeline({ name: 'podinfo', resource: helmChart });
const charts = podinfo.phase('charts', {
  source: helmRepositorySource({ registry: 'charts', chart: 'podinfo', select: { by: 'semver', range: '>=6.0.0' } }),
});
podinfo.phase('production', {
  promotesFrom: charts,
  source: gitFile({ repository: 'config', path: '${FILE}', updater: helmReleaseChart() }),
});
export default defineConfig({ pipelines: [podinfo] });
`;
const SDK = fileURLToPath(new URL('../../packages/gantry', import.meta.url));

/** The changed lines of a unified diff, without its headers. */
const changedLines = (diff: string) =>
  diff.split('\n').filter((l) => /^[-+]/.test(l) && !l.startsWith('---') && !l.startsWith('+++'));

describe.skipIf(!hasTool('git') || !hasTool('tar'))('a HelmRelease promoted from a Helm repository by the CLI', () => {
  let tmp: TempDir;
  let repo: TestHelmRepository;
  const env = { HELM_PASSWORD: PASSWORD, GANTRY_AUTHOR_NAME: 'Alice', GANTRY_AUTHOR_EMAIL: 'alice@example.com' };
  beforeEach(async () => {
    tmp = await tempDir('gantry-helm-cli-');
    repo = await startHelmRepository({ auth: { username: 'ci', password: PASSWORD } });
    for (const [version, created] of [
      ['6.5.0', day(1)],
      ['6.5.4', day(2)],
      ['6.6.0', day(3)],
      // newer and higher, but a pre-release: not taken unless asked for
      ['7.0.0-rc.1', day(4)],
    ] as const) {
      await repo.publish({ name: 'podinfo', version, appVersion: version, created });
    }
    await createBareRepo(join(tmp.path, 'config.git'), { [FILE]: RELEASE });
    await writeFile(join(tmp.path, 'gantry.yaml'), config(repo));
  });
  afterEach(async () => {
    await repo.stop();
    await tmp.remove();
  });

  it('GIVEN a new chart version in the repository WHEN status, diff and promote run THEN only the version line changes, in one commit', async () => {
    // GIVEN the repository's highest stable version is ahead of production
    const status = await gantry(['status', 'podinfo', '--json'], tmp.path, env);
    expect(status.code, status.stderr).toBe(0);
    const phases = json<PipelineStatus[]>(status)[0]?.phases;
    expect(phases?.map((p) => [p.phase, p.state, p.version])).toEqual([
      ['charts', 'source', 'podinfo@6.6.0'],
      ['production', 'behind', 'podinfo@6.5.0'],
    ]);
    // AND the whole status read index.yaml once
    expect(repo.requests().filter((r) => r.path.endsWith('/index.yaml'))).toHaveLength(1);

    // WHEN the diff is asked for THEN it is the version line, quoting and comment kept
    const diff = await gantry(['diff', 'podinfo', 'production'], tmp.path, env);
    expect(diff.code, diff.stderr).toBe(0);
    expect(changedLines(diff.stdout)).toEqual([
      "-      version: '6.5.0' # pinned by Gantry",
      "+      version: '6.6.0' # pinned by Gantry",
    ]);

    // WHEN promoted
    const promoted = await gantry(['promote', 'podinfo', 'production', '--json'], tmp.path, env);
    expect(promoted.code, promoted.stderr).toBe(0);
    const outcome = json<{ kind: string; revision: { id: string } }>(promoted);
    expect(outcome.kind).toBe('promoted');

    // THEN the remote's file is the old one with that one line changed, byte for byte
    const bare = join(tmp.path, 'config.git');
    expect(await runGit(['show', `main:${FILE}`], bare)).toBe(RELEASE.replace("version: '6.5.0'", "version: '6.6.0'"));
    expect((await runGit(['rev-parse', 'main'], bare)).trim()).toBe(outcome.revision.id);
    expect(await runGit(['log', '-1', '--format=%an', 'main'], bare)).toBe('Alice\n');
    // AND the password was sent, never shown
    for (const r of [status, diff, promoted]) expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(repo.requests().every((r) => r.authorization && r.status !== 401)).toBe(true);

    // AND a second promotion finds production in sync: no commit
    const again = await gantry(['promote', 'podinfo', 'production', '--json'], tmp.path, env);
    expect(again.code, again.stderr).toBe(0);
    expect((await runGit(['rev-parse', 'main'], bare)).trim()).toBe(outcome.revision.id);
  });

  it('GIVEN the pipeline as code in gantry.config.ts WHEN validated and promoted THEN it type-checks and writes the same line', async () => {
    await writeFile(join(tmp.path, 'gantry.yaml'), config(repo).replace(/^pipelines:[\s\S]*$/m, ''));
    await writeFile(join(tmp.path, 'gantry.config.ts'), CODE);
    // as `npm install gantry` would leave it, in an ESM package
    await writeFile(join(tmp.path, 'package.json'), '{ "private": true, "type": "module" }\n');
    await mkdir(join(tmp.path, 'node_modules'));
    await symlink(SDK, join(tmp.path, 'node_modules', 'gantry'), 'dir');
    const valid = await gantry(['validate'], tmp.path, env);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toContain('type-checked');
    // WHEN
    const promoted = await gantry(['promote', 'podinfo', 'production', '--json'], tmp.path, env);
    // THEN
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(await runGit(['show', `main:${FILE}`], join(tmp.path, 'config.git'))).toBe(
      RELEASE.replace("version: '6.5.0'", "version: '6.6.0'"),
    );
  });

  it('GIVEN a wrong password WHEN status runs THEN the chart phase is in error naming the repository, exit 1', async () => {
    const r = await gantry(['status', 'podinfo', '--json'], tmp.path, { ...env, HELM_PASSWORD: 'wrong-Helm' });
    expect(r.code).toBe(1);
    const charts = json<PipelineStatus[]>(r)[0]?.phases[0];
    expect(charts?.state).toBe('error');
    expect(charts?.error?.code).toBe('registry_unauthorized');
    expect(charts?.error?.message).toContain(`${repo.url}/index.yaml`);
    expect(r.stdout + r.stderr).not.toContain('wrong-Helm');
  });
});
