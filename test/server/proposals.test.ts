import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox } from '@gantry/cli';
import { fluxEventFor } from '@gantry/deployments';
import type { Promotion } from '@gantry/store';
import type { GitHttpServer, GitHubFake, TempDir } from '@gantry/testing';
import { commitToBareRepo, readBareFile, startGitHttpServer, startGitHubFake, tempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';
import { until } from './until.js';
import { promoteNewImage, promotionOf } from './staging-proposals.js';

const FLUX = 'flux-secret';
const HOOK = 'hook-secret';
const TOKEN = 'ghp_proposalsTestToken0000000000000000';
const FILE = 'env/staging/deployment.yaml';
const HEAD = 'gantry/app/staging';

/** Polls every 100 ms for up to 45 s: a poll round, a fetch and a commit can take seconds on a busy 2-core machine. */
const eventually = (what: string, fn: () => Promise<boolean>) =>
  until(async () => ((await fn()) ? true : undefined), what, 450);

const yaml = (gitUrl: string, apiUrl: string, pollInterval: string) => `dataDir: .gantry
logLevel: warn
repositories:
  config:
    url: ${gitUrl}/config.git
    branch: main
    webhookSecret: ${HOOK}
    provider: { kind: github, repository: acme/config, token: ${TOKEN}, apiUrl: "${apiUrl}", pollInterval: ${pollInterval} }
registries:
  sandbox: { layout: ./registry, host: localhost:5000 }
notifications:
  dashboardUrl: https://gantry.example.test
  channels: {}
server:
  schedules: []
  webhooks:
    flux: { secret: ${FLUX} }
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: sandbox, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        write: proposal
        proposal: { labels: [promotion], reviewers: [alice], assignees: [bob] }
        source:
          type: git
          repository: config
          path: ${FILE}
          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }
        deployer: { kind: flux-kustomization, namespace: flux-system, name: staging }
`;

describe('promotions as pull requests, through the server, real Git and the GitHub fake', () => {
  let tmp: TempDir;
  let git: GitHttpServer;
  let github: GitHubFake;
  let s: SandboxServer;
  let bare: string;
  let images = 0;

  async function start(o: { pollInterval: string; webhook: boolean }) {
    tmp = await tempDir('gantry-proposals-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    bare = join(dir, 'config.git');
    git = await startGitHttpServer({ root: dir });
    github = await startGitHubFake({ repositories: { 'acme/config': bare }, tokens: { [TOKEN]: 'gantry-bot' } });
    await writeFile(join(dir, 'gantry.yaml'), yaml(git.url, github.url, o.pollInterval));
    s = await sandboxServer({ tmp, listen: o.webhook });
    if (o.webhook) github.addWebhook('acme/config', { url: `${s.server.url}/api/v1/webhooks/git`, secret: HOOK });
  }
  beforeEach(() => {
    images = 0;
  });
  afterEach(async () => {
    await s?.close();
    await github?.stop();
    await git?.stop();
  });

  /** What CI's artifact report says: this image was built from `commit` of acme/app. */
  const reportBuild = (digest: string, commit: string) =>
    s.server.store.recordArtifact({
      kind: 'image',
      image: 'localhost:5000/app',
      digest,
      source: { repository: 'https://github.com/acme/app', commit },
      ci: {},
      pipelines: ['app'],
      verified: true,
      reportedBy: 'ci-bot',
    });
  const promotion = (id: string) => promotionOf(s, id);
  /** A new image in the sandbox registry, promoted into staging; resolves once the worker is done. */
  const proposeNewImage = (commit?: string) =>
    promoteNewImage(
      s,
      new Date(Date.UTC(2030, 0, 1, 0, 0, ++images)),
      commit ? (digest) => reportBuild(digest, commit) : undefined,
    );

  it('GIVEN a phase that writes by proposal WHEN versions arrive and the pull request is merged THEN one pull request is kept current, the merge succeeds the promotion and Flux settles it', async () => {
    await start({ pollInterval: '0s', webhook: true });
    const mainBefore = await readBareFile(bare, 'main', FILE);

    // GIVEN a first version: a branch with the commit on main's tip, and a pull request into main
    const first = await proposeNewImage();
    const p1 = await promotion(first.id);
    expect(p1.state).toBe('proposed');
    expect(p1.proposal).toMatchObject({ provider: 'github', repository: 'acme/config', number: 1, state: 'open' });
    expect(p1.proposal?.url).toBe('https://github.test/acme/config/pull/1');
    expect(await readBareFile(bare, 'main', FILE)).toBe(mainBefore);
    expect(await readBareFile(bare, HEAD, FILE)).toContain(first.digest);
    const [pull] = github.pulls('acme/config');
    expect(pull).toMatchObject({ number: 1, state: 'open', head: HEAD, base: 'main' });
    expect(pull?.labels.map((l) => l.name)).toEqual(['promotion']);
    expect(pull?.reviewers.map((u) => u.login)).toEqual(['alice']);
    expect(pull?.assignees?.map((u) => u.login)).toEqual(['bob']);
    // no report for either version yet: the body says nothing of source commits
    expect(pull?.body).not.toContain('Source changes');
    expect(pull?.body).not.toMatch(/\n{3,}/);
    expect(pull?.body).toContain(`https://gantry.example.test/pipelines/app/phases/staging?promotion=${first.id}`);
    expect(pull?.body).toContain('```diff');
    const firstTitle = pull?.title;

    // WHEN a newer version arrives THEN the same pull request carries it, retitled; the first promotion is superseded
    // (CI reported which commits both the version staging runs and the new one were built from)
    const running = /sha256:[0-9a-f]{64}/.exec(mainBefore)?.[0] ?? '';
    expect(running).not.toBe('');
    await reportBuild(running, 'a'.repeat(40));
    const second = await proposeNewImage('b'.repeat(40));
    const p2 = await promotion(second.id);
    expect(p2.state).toBe('proposed');
    expect(p2.proposal?.number).toBe(1);
    expect(github.pulls('acme/config')).toHaveLength(1);
    const updated = github.pulls('acme/config')[0];
    expect(updated?.title).not.toBe(firstTitle);
    expect(updated?.title).toContain('Promote app/staging to');
    expect(updated?.body).toContain(
      `[\`aaaaaaaaaaaa...bbbbbbbbbbbb\`](https://github.com/acme/app/compare/${'a'.repeat(40)}...${'b'.repeat(40)})`,
    );
    expect(updated?.assignees?.map((u) => u.login)).toEqual(['bob']);
    expect(await readBareFile(bare, HEAD, FILE)).toContain(second.digest);
    const p1After = await promotion(first.id);
    expect(p1After.state).toBe('superseded');
    expect(p1After.proposal?.state).toBe('superseded');

    // WHEN someone merges it on GitHub THEN the webhook succeeds the promotion with the merge commit
    const merge = await github.merge('acme/config', 1);
    expect(github.deliveries().at(-1)).toMatchObject({ event: 'pull_request', action: 'closed', status: 202 });
    const merged = await promotion(second.id);
    expect(merged.state).toBe('succeeded');
    expect(merged.commitSha).toBe(merge);
    expect(merged.proposal).toMatchObject({ state: 'merged', mergedCommit: merge });
    expect(await readBareFile(bare, 'main', FILE)).toContain(second.digest);

    // AND Flux reporting the merge commit settles its deployment
    const report = fluxEventFor({
      ref: { kind: 'flux-kustomization', namespace: 'flux-system', name: 'staging' },
      commit: merge,
      branch: 'main',
      ok: true,
      time: new Date(),
      secret: FLUX,
    });
    const res = await s.api('/api/v1/webhooks/flux', {
      method: 'POST',
      body: report.body,
      headers: { ...report.headers },
    });
    expect(res.status).toBeLessThan(300);
    await eventually(
      'the deployment is healthy',
      async () => (await promotion(second.id)).deployment?.state === 'healthy',
    );

    // AND history shows the pull request beside each promotion
    const history = (await (await s.api('/api/v1/pipelines/app/phases/staging/history')).json()) as {
      items: Promotion[];
    };
    expect(history.items.map((p) => [p.state, p.proposal?.number, p.proposal?.state])).toEqual([
      ['succeeded', 1, 'merged'],
      ['superseded', 1, 'superseded'],
    ]);
  });

  it('GIVEN an open proposal WHEN the phase gets the version another way THEN Gantry closes the pull request with a comment saying why', async () => {
    await start({ pollInterval: '0s', webhook: true });
    const { id, digest } = await proposeNewImage();
    expect((await promotion(id)).state).toBe('proposed');
    // someone pushes the same change straight to main
    await commitToBareRepo(bare, { files: { [FILE]: await readBareFile(bare, HEAD, FILE) }, message: 'by hand' });
    s.runtime.repositories.repository('config').expire();

    await s.server.deps.promotions.checkProposals();

    const done = await promotion(id);
    expect(done.state).toBe('superseded');
    expect(done.proposal?.state).toBe('closed');
    const [pull] = github.pulls('acme/config');
    expect(pull?.state).toBe('closed');
    expect(pull?.mergedAt).toBeNull();
    expect(pull?.comments.map((c) => c.body).join('\n')).toMatch(/app\/staging already runs .*another way/);
    expect(pull?.comments[0]?.body).toContain(digest.slice(7, 19));
  });

  it('GIVEN no webhook WHEN the pull request is merged THEN polling with conditional requests finds it', async () => {
    await start({ pollInterval: '1s', webhook: false });
    const { id } = await proposeNewImage();
    // an unchanged pull request answers 304 to the poll's If-None-Match
    await eventually('a conditional poll answered 304', async () =>
      github.requests().some((r) => r.method === 'GET' && r.path.endsWith('/pulls/1') && r.status === 304),
    );
    const merge = await github.merge('acme/config', 1);
    await eventually('the poll saw the merge', async () => (await promotion(id)).state === 'succeeded');
    expect((await promotion(id)).commitSha).toBe(merge);
    const polls = github.requests().filter((r) => r.path.endsWith('/pulls/1') && r.method === 'GET');
    expect(polls.slice(1).every((r) => r.headers['if-none-match'] !== undefined)).toBe(true);
  });

  it('GIVEN GitHub rate-limits once WHEN a proposal opens THEN Gantry waits as told and opens it', async () => {
    await start({ pollInterval: '0s', webhook: false });
    github.failNext({ status: 429, retryAfter: 1, method: 'POST', path: '/pulls' });
    const { id } = await proposeNewImage();
    expect((await promotion(id)).state).toBe('proposed');
    const posts = github.requests().filter((r) => r.method === 'POST' && r.path === '/repos/acme/config/pulls');
    expect(posts.map((r) => r.status)).toEqual([429, 201]);
  });

  it('GIVEN a pull_request webhook with a bad signature WHEN it arrives THEN it is refused with 401 before its body is read', async () => {
    await start({ pollInterval: '0s', webhook: false });
    const res = await s.api('/api/v1/webhooks/git', {
      method: 'POST',
      body: 'not even JSON',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
    });
    expect(res.status).toBe(401);
  });
});
