import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox } from '@gantry/cli';
import type { GitHttpServer, GitLabFake, TempDir } from '@gantry/testing';
import { readBareFile, startGitHttpServer, startGitLabFake, tempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';
import { until } from './until.js';
import { promoteNewImage, promotionOf } from './staging-proposals.js';

const HOOK = 'gitlab-hook-token';
const TOKEN = 'glpat-proposalsTestToken00000';
const FILE = 'env/staging/deployment.yaml';
const HEAD = 'gantry/app/staging';
const PROJECT = 'acme/platform/config';

const eventually = (what: string, fn: () => Promise<boolean>) =>
  until(async () => ((await fn()) ? true : undefined), what);

const yaml = (
  gitUrl: string,
  apiUrl: string,
  o: { pollInterval: string; autoMerge: boolean; token: string },
) => `dataDir: .gantry
logLevel: warn
repositories:
  config:
    url: ${gitUrl}/config.git
    branch: main
    webhookSecret: ${HOOK}
    provider: { kind: gitlab, repository: ${PROJECT}, token: ${o.token}, apiUrl: "${apiUrl}", pollInterval: ${o.pollInterval} }
registries:
  sandbox: { layout: ./registry, host: localhost:5000 }
notifications:
  dashboardUrl: https://gantry.example.test
  channels: {}
server:
  schedules: []
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: sandbox, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        write: proposal
        proposal: { labels: [promotion, staging], reviewers: [alice], assignees: [carol]${o.autoMerge ? ', autoMerge: { method: squash }' : ''} }
        source:
          type: git
          repository: config
          path: ${FILE}
          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }
`;

describe('promotions as GitLab merge requests, through the server, real Git and the GitLab fake', () => {
  let tmp: TempDir;
  let git: GitHttpServer;
  let gitlab: GitLabFake;
  let s: SandboxServer;
  let bare: string;
  let images = 0;

  async function start(o: { pollInterval: string; webhook: boolean; autoMerge?: boolean; token?: string }) {
    tmp = await tempDir('gantry-gitlab-proposals-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    bare = join(dir, 'config.git');
    git = await startGitHttpServer({ root: dir });
    gitlab = await startGitLabFake({ projects: { [PROJECT]: bare }, tokens: { [TOKEN]: 'gantry-bot' } });
    gitlab.addToken('glpat-readOnly', 'gantry-bot', ['read_api']);
    // alice exists on the GitLab instance (reviewers are user ids there)
    gitlab.addToken('glpat-alice', 'alice');
    gitlab.addToken('glpat-carol', 'carol');
    await writeFile(
      join(dir, 'gantry.yaml'),
      yaml(git.url, gitlab.url, {
        pollInterval: o.pollInterval,
        autoMerge: o.autoMerge ?? false,
        token: o.token ?? TOKEN,
      }),
    );
    s = await sandboxServer({ tmp, listen: o.webhook });
    if (o.webhook) gitlab.addWebhook(PROJECT, { url: `${s.server.url}/api/v1/webhooks/git`, token: HOOK });
  }
  beforeEach(() => {
    images = 0;
  });
  afterEach(async () => {
    await s?.close();
    await gitlab?.stop();
    await git?.stop();
  });

  const promotion = (id: string) => promotionOf(s, id);
  const proposeNewImage = () => promoteNewImage(s, new Date(Date.UTC(2030, 0, 1, 0, 0, ++images)));

  it('GIVEN a phase that writes by proposal on GitLab WHEN versions arrive and the merge request is merged THEN one merge request is kept current and the merge_request webhook succeeds the promotion with the merge commit', async () => {
    await start({ pollInterval: '0s', webhook: true });
    const mainBefore = await readBareFile(bare, 'main', FILE);

    const first = await proposeNewImage();
    const p1 = await promotion(first.id);
    expect(p1.state).toBe('proposed');
    expect(p1.proposal).toMatchObject({ provider: 'gitlab', repository: PROJECT, number: 1, state: 'open' });
    expect(p1.proposal?.url).toBe(`https://gitlab.test/${PROJECT}/-/merge_requests/1`);
    expect(await readBareFile(bare, 'main', FILE)).toBe(mainBefore);
    expect(await readBareFile(bare, HEAD, FILE)).toContain(first.digest);
    const [mr] = gitlab.mergeRequests(PROJECT);
    expect(mr).toMatchObject({ iid: 1, state: 'opened', sourceBranch: HEAD, targetBranch: 'main' });
    expect(mr?.labels).toEqual(['promotion', 'staging']);
    expect(mr?.reviewers.map((u) => u.username)).toEqual(['alice']);
    expect(mr?.assignees?.map((u) => u.username)).toEqual(['carol']);
    expect(mr?.description).toContain(`https://gantry.example.test/pipelines/app/phases/staging?promotion=${first.id}`);
    // the token went in PRIVATE-TOKEN, the project as its URL-encoded path
    const create = gitlab.requests().find((r) => r.method === 'POST');
    expect(create?.headers['private-token']).toBe(TOKEN);
    expect(create?.path).toBe(`/projects/${PROJECT}/merge_requests`);

    const second = await proposeNewImage();
    expect((await promotion(second.id)).proposal?.number).toBe(1);
    expect(gitlab.mergeRequests(PROJECT)).toHaveLength(1);
    expect(await readBareFile(bare, HEAD, FILE)).toContain(second.digest);
    expect((await promotion(first.id)).state).toBe('superseded');

    const merge = await gitlab.merge(PROJECT, 1);
    expect(gitlab.deliveries().at(-1)).toMatchObject({ event: 'merge_request', action: 'merge', status: 202 });
    const merged = await promotion(second.id);
    expect(merged.state).toBe('succeeded');
    expect(merged.commitSha).toBe(merge);
    expect(merged.proposal).toMatchObject({ state: 'merged', mergedCommit: merge });
    expect(await readBareFile(bare, 'main', FILE)).toContain(second.digest);
  });

  it('GIVEN autoMerge WHEN the merge request opens THEN it is set to merge when the pipeline succeeds, and merges (squashed) when CI reports success', async () => {
    await start({ pollInterval: '0s', webhook: true, autoMerge: true });
    const { id, digest } = await proposeNewImage();
    const [mr] = gitlab.mergeRequests(PROJECT);
    expect(mr?.autoMerge).toMatchObject({ squash: true });
    const merge = gitlab.requests().find((r) => r.method === 'PUT' && r.path.endsWith('/merge'));
    expect(merge?.body).toMatchObject({ merge_when_pipeline_succeeds: true, squash: true });
    expect((await promotion(id)).state).toBe('proposed');

    // a failing pipeline merges nothing; a later success does
    const head = (await promotion(id)).proposal?.headSha ?? '';
    await gitlab.setPipeline(PROJECT, head, 'running');
    expect(gitlab.mergeRequests(PROJECT)[0]?.state).toBe('opened');
    await gitlab.setPipeline(PROJECT, head, 'success');
    expect(gitlab.mergeRequests(PROJECT)[0]?.state).toBe('merged');
    const done = await promotion(id);
    expect(done.state).toBe('succeeded');
    expect(done.commitSha).toBe(gitlab.mergeRequests(PROJECT)[0]?.mergeCommitSha);
    expect(await readBareFile(bare, 'main', FILE)).toContain(digest);
  });

  it('GIVEN no webhook WHEN the merge request is closed THEN polling with conditional requests finds it and the promotion fails as closed', async () => {
    await start({ pollInterval: '1s', webhook: false });
    const { id } = await proposeNewImage();
    await eventually('a conditional poll answered 304', async () =>
      gitlab.requests().some((r) => r.method === 'GET' && r.path.endsWith('/merge_requests/1') && r.status === 304),
    );
    await gitlab.close(PROJECT, 1);
    await eventually('the poll saw the close', async () => (await promotion(id)).state === 'failed');
    expect((await promotion(id)).error?.code).toBe('proposal_closed');
  });

  it('GIVEN an open merge request and polling WHEN its head pipeline runs and fails THEN the promotion records the head pipeline as its checks', async () => {
    await start({ pollInterval: '1s', webhook: false });
    const { id } = await proposeNewImage();
    const head = (await promotion(id)).proposal?.headSha ?? '';
    const checksAre = (want: object) =>
      eventually(`checks ${JSON.stringify(want)}`, async () => {
        return JSON.stringify((await promotion(id)).proposal?.checks) === JSON.stringify(want);
      });
    await gitlab.setPipeline(PROJECT, head, 'running');
    await checksAre({ state: 'pending', total: 1, passed: 0 });
    await gitlab.setPipeline(PROJECT, head, 'failed');
    await checksAre({ state: 'failure', total: 1, passed: 0 });
    expect((await promotion(id)).state).toBe('proposed');
  });

  it('GIVEN GitLab answers 429 with Retry-After once WHEN a proposal opens THEN Gantry waits and opens it', async () => {
    await start({ pollInterval: '0s', webhook: false });
    gitlab.failNext({ status: 429, retryAfter: 1, method: 'POST', path: '/merge_requests' });
    const { id } = await proposeNewImage();
    expect((await promotion(id)).state).toBe('proposed');
    const posts = gitlab.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/merge_requests'));
    expect(posts.map((r) => r.status)).toEqual([429, 201]);
  });

  it('GIVEN a token without the api scope WHEN a proposal opens THEN the promotion fails naming the missing scope', async () => {
    await start({ pollInterval: '0s', webhook: false, token: 'glpat-readOnly' });
    const { id } = await proposeNewImage();
    const p = await promotion(id);
    expect(p.state).toBe('failed');
    expect(p.error?.code).toBe('proposal_unauthorized');
    expect(p.error?.message).toContain('the token needs the scope api');
    expect(p.error?.message).not.toContain('glpat-readOnly');
  });

  it('GIVEN a merge_request webhook with a wrong X-Gitlab-Token WHEN it arrives THEN it is refused with 401 before its body is read', async () => {
    await start({ pollInterval: '0s', webhook: false });
    const res = await s.api('/api/v1/webhooks/git', {
      method: 'POST',
      body: 'not even JSON',
      headers: {
        'content-type': 'application/json',
        'x-gitlab-event': 'Merge Request Hook',
        'x-gitlab-token': 'wrong',
      },
    });
    expect(res.status).toBe(401);
  });
});
