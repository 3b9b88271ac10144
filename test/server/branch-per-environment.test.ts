import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Promotion } from '@gantry/store';
import type { GitHttpServer, GitHubFake, TempDir } from '@gantry/testing';
import { createBareRepo, readBareFile, runGit, startGitHttpServer, startGitHubFake, tempDir } from '@gantry/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';

const TOKEN = 'ghp_branchPerEnvironmentToken00000000000';
const FILE = 'deploy/app.yaml';
const OLD = `registry.example/app:1.0.0@sha256:${'a'.repeat(64)}`;
const NEW = `registry.example/app:1.1.0@sha256:${'b'.repeat(64)}`;

const deployment = (o: {
  image: string;
  replicas: number;
  logLevel: string;
}) => `# the app, as each environment's branch runs it
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: ${o.replicas} # per environment
  template:
    spec:
      containers:
        - name: app
          image: ${o.image}
          env:
            - name: LOG_LEVEL
              value: ${o.logLevel}
`;

const yaml = (gitUrl: string, apiUrl: string) => `dataDir: .gantry
logLevel: warn
repositories:
  config:
    url: ${gitUrl}/config.git
    branch: prod
    provider: { kind: github, repository: acme/config, token: ${TOKEN}, apiUrl: "${apiUrl}", pollInterval: 0s }
notifications: { channels: {} }
server: { schedules: [] }
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: qa
        source: { type: git, repository: config, branch: qa, path: ${FILE}, updater: { type: kubernetes-image, container: app } }
      - name: staging
        promotesFrom: qa
        write: proposal
        source: { type: git, repository: config, branch: staging, path: ${FILE}, updater: { type: kubernetes-image, container: app } }
`;

describe('branch per environment: qa, staging and prod branches of one repository', () => {
  let tmp: TempDir;
  let git: GitHttpServer;
  let github: GitHubFake;
  let s: SandboxServer;

  afterEach(async () => {
    await s?.close();
    await github?.stop();
    await git?.stop();
  });

  it("GIVEN qa runs a newer image and differs from staging in other lines too WHEN qa is promoted to staging THEN the pull request into staging changes exactly the image line, nothing else of qa's", async () => {
    tmp = await tempDir('gantry-branch-env-');
    const bare = join(tmp.path, 'config.git');
    const prod = deployment({ image: OLD, replicas: 5, logLevel: 'warn' });
    const staging = deployment({ image: OLD, replicas: 2, logLevel: 'info' });
    // qa: the new image, and changes of its own that must stay in qa
    const qa = deployment({ image: NEW, replicas: 1, logLevel: 'debug' });
    await createBareRepo(
      bare,
      { [FILE]: prod },
      {
        branch: 'prod',
        branches: { staging: { [FILE]: staging }, qa: { [FILE]: qa, 'deploy/qa-only.yaml': 'debug: true\n' } },
      },
    );
    git = await startGitHttpServer({ root: tmp.path });
    github = await startGitHubFake({ repositories: { 'acme/config': bare }, tokens: { [TOKEN]: 'gantry-bot' } });
    await mkdir(join(tmp.path, 'sandbox'), { recursive: true });
    await writeFile(join(tmp.path, 'sandbox', 'gantry.yaml'), yaml(git.url, github.url));
    s = await sandboxServer({ tmp });

    const res = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
    expect(res.status).toBe(202);
    const { promotion: queued } = (await res.json()) as { promotion: { id: string } };
    await s.server.deps.promotions.idle();
    const p = (await (await s.api(`/api/v1/promotions/${queued.id}`)).json()) as Promotion;
    expect(p.state).toBe('proposed');
    expect(p.proposal?.headBranch).toBe('gantry/app/staging');

    // the pull request is into staging, from a branch on staging's tip
    const [pull] = github.pulls('acme/config');
    expect(pull).toMatchObject({ base: 'staging', head: 'gantry/app/staging' });
    const files = await runGit(['diff', '--name-only', 'staging', 'gantry/app/staging'], bare);
    expect(files.trim().split('\n')).toEqual([FILE]);
    const diff = await runGit(['diff', '--unified=0', 'staging', 'gantry/app/staging', '--', FILE], bare);
    const changed = diff.split('\n').filter((l) => /^[+-](?![+-])/.test(l));
    expect(changed).toEqual([`-          image: ${OLD}`, `+          image: ${NEW}`]);

    // merged, staging has qa's image and keeps its own replicas, log level and comment
    await github.merge('acme/config', pull?.number ?? 0);
    expect(await readBareFile(bare, 'staging', FILE)).toBe(staging.replace(OLD, NEW));
    expect(await readBareFile(bare, 'prod', FILE)).toBe(prod);
    expect(await readBareFile(bare, 'qa', FILE)).toBe(qa);
  });
});
