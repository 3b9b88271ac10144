import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox } from '@gantry/cli';
import type { GitHttpServer, GitHubFake, TempDir } from '@gantry/testing';
import { commitToBareRepo, readBareFile, runGit, startGitHttpServer, startGitHubFake, tempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';
import { until } from './until.js';
import { promoteNewImage, promotionOf, reportCommitStatus } from './staging-proposals.js';

const HOOK = 'hook-secret';
const TOKEN = 'ghp_autoMergeTestToken000000000000000000';
const CI_TOKEN = 'ghp_ciTestToken';
const FILE = 'env/staging/deployment.yaml';
const HEAD = 'gantry/app/staging';

const eventually = (what: string, fn: () => Promise<boolean>) =>
  until(async () => ((await fn()) ? true : undefined), what);

const yaml = (gitUrl: string, apiUrl: string, o: { pollInterval: string; proposal: string }) => `dataDir: .gantry
logLevel: warn
repositories:
  config:
    url: ${gitUrl}/config.git
    branch: main
    webhookSecret: ${HOOK}
    provider: { kind: github, repository: acme/config, token: ${TOKEN}, apiUrl: "${apiUrl}", pollInterval: ${o.pollInterval} }
registries:
  sandbox: { layout: ./registry, host: localhost:5000 }
notifications: { channels: {} }
server: { schedules: [] }
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: sandbox, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        write: proposal
        proposal: ${o.proposal}
        source:
          type: git
          repository: config
          path: ${FILE}
          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }
`;

describe('proposals on GitHub: auto-merge and commits Gantry did not write', () => {
  let tmp: TempDir;
  let git: GitHttpServer;
  let github: GitHubFake;
  let s: SandboxServer;
  let bare: string;
  let images = 0;

  async function start(o: { pollInterval: string; webhook: boolean; proposal: string; requiredChecks?: string[] }) {
    tmp = await tempDir('gantry-proposals-automerge-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    bare = join(dir, 'config.git');
    git = await startGitHttpServer({ root: dir });
    github = await startGitHubFake({
      repositories: { 'acme/config': bare },
      tokens: { [TOKEN]: 'gantry-bot', [CI_TOKEN]: 'ci-bot' },
    });
    if (o.requiredChecks) github.setRequiredChecks('acme/config', 'main', o.requiredChecks);
    await writeFile(join(dir, 'gantry.yaml'), yaml(git.url, github.url, o));
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

  const promotion = (id: string) => promotionOf(s, id);
  const proposeNewImage = () => promoteNewImage(s, new Date(Date.UTC(2030, 0, 1, 0, 0, ++images)));
  const ciReports = (sha: string, state: 'pending' | 'success' | 'failure') =>
    reportCommitStatus(github, CI_TOKEN, sha, state);

  it("GIVEN autoMerge and a required check WHEN the pull request opens THEN GitHub's auto-merge is enabled and it merges once CI passes, as one squashed commit that becomes the promotion's commit", async () => {
    await start({
      pollInterval: '0s',
      webhook: true,
      proposal: '{ autoMerge: { method: squash } }',
      requiredChecks: ['ci'],
    });
    const { id, digest } = await proposeNewImage();
    const [pull] = github.pulls('acme/config');
    expect(pull?.autoMerge?.method).toBe('SQUASH');
    const gql = github.requests().find((r) => r.path === '/graphql');
    expect(gql?.status).toBe(200);
    expect(JSON.stringify(gql?.body)).toContain('enablePullRequestAutoMerge');

    const head = (await promotion(id)).proposal?.headSha ?? '';
    await ciReports(head, 'pending');
    await ciReports(head, 'failure');
    expect(github.pulls('acme/config')[0]?.state).toBe('open');
    await ciReports(head, 'success');
    expect(github.pulls('acme/config')[0]?.mergedAt).not.toBeNull();
    const done = await promotion(id);
    expect(done.state).toBe('succeeded');
    expect(done.commitSha).toBe(github.pulls('acme/config')[0]?.mergeCommitSha);
    expect(await readBareFile(bare, 'main', FILE)).toContain(digest);
    // squash: one commit (one parent: the base's old tip), named after the pull request, carrying the change
    const base = (await runGit(['rev-parse', 'main'], bare)).trim();
    expect(base).toBe(done.commitSha);
    const parents = (await runGit(['rev-list', '--parents', '-n', '1', base], bare)).trim().split(' ');
    expect(parents).toHaveLength(2);
    expect(await runGit(['cat-file', '-p', `${base}:${FILE}`], bare)).toContain(digest);
    expect(await runGit(['log', '-1', '--format=%s', base], bare)).toMatch(/\(#1\)\n$/);
    expect(
      await runGit(['merge-base', '--is-ancestor', head, base], bare).then(
        () => true,
        () => false,
      ),
    ).toBe(false);
  });

  it('GIVEN an open proposal and polling WHEN CI reports statuses on its head THEN the promotion records its checks (pending, failure, success with counts)', async () => {
    await start({ pollInterval: '1s', webhook: false, proposal: '{}' });
    const { id } = await proposeNewImage();
    const head = (await promotion(id)).proposal?.headSha ?? '';
    const checksAre = (want: object) =>
      eventually(`checks ${JSON.stringify(want)}`, async () => {
        const got = (await promotion(id)).proposal?.checks;
        return JSON.stringify(got) === JSON.stringify(want);
      });
    await ciReports(head, 'pending');
    await checksAre({ state: 'pending', total: 1, passed: 0 });
    await ciReports(head, 'failure');
    await checksAre({ state: 'failure', total: 1, passed: 0 });
    await ciReports(head, 'success');
    await checksAre({ state: 'success', total: 1, passed: 1 });
    expect((await promotion(id)).state).toBe('proposed');
  });

  it("GIVEN autoMerge where GitHub's own cannot be enabled (the pull request is mergeable at once) WHEN Gantry polls THEN it merges the pull request itself", async () => {
    await start({ pollInterval: '1s', webhook: false, proposal: '{ autoMerge: { method: merge } }' });
    const { id, digest } = await proposeNewImage();
    expect(github.requests().find((r) => r.path === '/graphql')?.response).toMatchObject({
      errors: [{ message: 'Pull request is in clean status' }],
    });
    await eventually('Gantry merged it', async () => (await promotion(id)).state === 'succeeded');
    const merge = github.requests().find((r) => r.method === 'PUT' && r.path.endsWith('/pulls/1/merge'));
    expect(merge?.headers.authorization).toContain(TOKEN);
    expect(merge?.body).toMatchObject({ merge_method: 'merge' });
    expect(await readBareFile(bare, 'main', FILE)).toContain(digest);
  });

  it('GIVEN someone pushed a commit onto the proposal branch WHEN a newer version is proposed THEN Gantry leaves the branch alone, says so on the pull request and fails the promotion', async () => {
    await start({ pollInterval: '0s', webhook: false, proposal: '{}' });
    const first = await proposeNewImage();
    expect((await promotion(first.id)).state).toBe('proposed');
    const theirs = await commitToBareRepo(bare, {
      branch: HEAD,
      files: { 'NOTES.md': 'a fix by hand\n' },
      message: 'hand fix',
    });
    s.runtime.repositories.repository('config').expire();

    const second = await proposeNewImage();
    const p = await promotion(second.id);
    expect(p.state).toBe('failed');
    expect(p.error?.code).toBe('proposal_branch_foreign');
    expect(p.error?.message).toContain(theirs.slice(0, 12));
    // the branch still ends with their commit, on top of the first proposal
    expect((await readBareFile(bare, HEAD, 'NOTES.md')) ?? '').toContain('a fix by hand');
    expect(await readBareFile(bare, HEAD, FILE)).toContain(first.digest);
    const [pull] = github.pulls('acme/config');
    expect(pull?.comments.at(-1)?.body).toMatch(/commits Gantry did not write .*does not overwrite them/);
  });

  it('GIVEN foreignCommits: replace WHEN a newer version is proposed over a hand-made commit THEN the branch is rebuilt without it and the pull request says what was replaced', async () => {
    await start({ pollInterval: '0s', webhook: false, proposal: '{ foreignCommits: replace }' });
    await proposeNewImage();
    const theirs = await commitToBareRepo(bare, {
      branch: HEAD,
      files: { 'NOTES.md': 'a fix by hand\n' },
      message: 'hand fix',
    });
    s.runtime.repositories.repository('config').expire();

    const second = await proposeNewImage();
    expect((await promotion(second.id)).state).toBe('proposed');
    expect(await readBareFile(bare, HEAD, FILE)).toContain(second.digest);
    await expect(readBareFile(bare, HEAD, 'NOTES.md')).rejects.toThrow(/does not exist/);
    expect(github.pulls('acme/config')[0]?.comments.at(-1)?.body).toContain(
      `Gantry replaced commits it did not write on ${HEAD} (${theirs.slice(0, 12)}`,
    );
  });
});
