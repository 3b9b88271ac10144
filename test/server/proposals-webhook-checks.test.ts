import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox } from '@gantry/cli';
import { signBody } from '@gantry/server';
import type { GitHttpServer, GitHubFake, TempDir } from '@gantry/testing';
import { startGitHttpServer, startGitHubFake, tempDir } from '@gantry/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';
import { promoteNewImage, promotionOf, reportCommitStatus } from './staging-proposals.js';

const HOOK = 'hook-secret';
const TOKEN = 'ghp_proposalsChecksToken00000000000000';
const CI_TOKEN = 'ghp_ciChecksToken000000000000000000000';

// pollInterval 0s: nothing polls, so whatever the checks become comes from the webhooks
const yaml = (gitUrl: string, apiUrl: string, proposal: string) => `dataDir: .gantry
logLevel: warn
repositories:
  config:
    url: ${gitUrl}/config.git
    branch: main
    webhookSecret: ${HOOK}
    provider: { kind: github, repository: acme/config, token: ${TOKEN}, apiUrl: "${apiUrl}", pollInterval: 0s }
registries:
  sandbox: { layout: ./registry, host: localhost:5000 }
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
        proposal: ${proposal}
        source:
          type: git
          repository: config
          path: env/staging/deployment.yaml
          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }
`;

describe('GitHub pull_request, status and check_run webhooks refresh a proposal’s checks (no polling)', () => {
  let tmp: TempDir;
  let git: GitHttpServer;
  let github: GitHubFake;
  let s: SandboxServer;
  let images = 0;

  afterEach(async () => {
    await s?.close();
    await github?.stop();
    await git?.stop();
  });

  async function start(proposal = '{}') {
    tmp = await tempDir('gantry-proposals-checks-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    git = await startGitHttpServer({ root: dir });
    github = await startGitHubFake({
      repositories: { 'acme/config': join(dir, 'config.git') },
      tokens: { [TOKEN]: 'gantry-bot', [CI_TOKEN]: 'ci-bot' },
    });
    await writeFile(join(dir, 'gantry.yaml'), yaml(git.url, github.url, proposal));
    s = await sandboxServer({ tmp });
  }
  const promotion = (id: string) => promotionOf(s, id);
  const propose = async () => (await promoteNewImage(s, new Date(Date.UTC(2030, 0, 1, 0, 0, ++images)))).id;
  const ciReports = (sha: string, state: 'pending' | 'success' | 'failure') =>
    reportCommitStatus(github, CI_TOKEN, sha, state);
  /** A signed delivery of a GitHub event, as the repository's webhook sends it. */
  const deliver = async (event: string, payload: unknown, secret = HOOK) => {
    const body = JSON.stringify(payload);
    return s.api('/api/v1/webhooks/git', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-hub-signature-256': signBody(secret, body),
      },
    });
  };
  const repository = { full_name: 'acme/config' };
  const pullEvent = (action: string, head: string) => ({
    action,
    number: 1,
    pull_request: {
      number: 1,
      state: 'open',
      merged: false,
      head: { ref: 'gantry/app/staging', sha: head },
      base: { ref: 'main' },
    },
    repository,
  });

  it('GIVEN an open proposal WHEN CI reports and GitHub sends status, check_run and pull_request opened/synchronize events THEN each refreshes the recorded checks of the right head', async () => {
    await start();
    const first = await propose();
    const head1 = (await promotion(first)).proposal?.headSha ?? '';
    expect(head1).toMatch(/^[0-9a-f]{40}$/);

    // pull_request opened: no statuses yet -> success with nothing to wait for
    expect((await deliver('pull_request', pullEvent('opened', head1))).status).toBe(202);
    expect((await promotion(first)).proposal?.checks).toEqual({ state: 'success', total: 0, passed: 0 });

    // a status event for the head: recorded at once, and the event answers which phase it concerned
    await ciReports(head1, 'pending');
    const pending = await deliver('status', { sha: head1, state: 'pending', context: 'ci', repository });
    expect(pending.status).toBe(202);
    expect(await pending.json()).toEqual({ matched: ['app/staging'] });
    expect((await promotion(first)).proposal?.checks).toEqual({ state: 'pending', total: 1, passed: 0 });

    // a check_run event for the head (CI finished)
    await ciReports(head1, 'success');
    const done = await deliver('check_run', { action: 'completed', check_run: { head_sha: head1 }, repository });
    expect(await done.json()).toEqual({ matched: ['app/staging'] });
    expect((await promotion(first)).proposal?.checks).toEqual({ state: 'success', total: 1, passed: 1 });

    // a status on some other commit concerns no proposal
    const other = await deliver('status', { sha: 'f'.repeat(40), state: 'failure', context: 'ci', repository });
    expect(await other.json()).toEqual({ matched: [] });

    // WHEN a newer version moves the head (synchronize) and CI fails on it THEN the new head's checks are recorded
    const second = await propose();
    const head2 = (await promotion(second)).proposal?.headSha ?? '';
    expect(head2).not.toBe(head1);
    await ciReports(head2, 'failure');
    expect((await deliver('pull_request', pullEvent('synchronize', head2))).status).toBe(202);
    expect((await promotion(second)).proposal?.checks).toEqual({ state: 'failure', total: 1, passed: 0 });

    // a check_suite event signed with another secret is refused before anything is read
    const forged = await deliver('check_suite', { check_suite: { head_sha: head2 }, repository }, 'wrong');
    expect(forged.status).toBe(401);
  });

  it('GIVEN autoMerge where GitHub’s own cannot be enabled WHEN the status event says CI passed THEN Gantry merges at once, without polling', async () => {
    await start('{ autoMerge: { method: merge } }');
    const id = await propose();
    const head = (await promotion(id)).proposal?.headSha ?? '';
    await ciReports(head, 'success');
    const res = await deliver('status', { sha: head, state: 'success', context: 'ci', repository });
    expect(await res.json()).toEqual({ matched: ['app/staging'] });
    const p = await promotion(id);
    expect(p.state).toBe('succeeded');
    expect(github.pulls('acme/config')[0]?.state).toBe('closed');
    expect(p.commitSha).toBe(github.pulls('acme/config')[0]?.mergeCommitSha);
  });
  it('GIVEN autoMerge where GitHub’s own cannot be enabled WHEN a check run fails and then a re-run succeeds THEN the proposal records each and Gantry merges only after the success', async () => {
    await start('{ autoMerge: { method: merge } }');
    const id = await propose();
    expect((await promotion(id)).state).toBe('proposed');
    const head = (await promotion(id)).proposal?.headSha ?? '';

    await github.addCheckRun('acme/config', head, { name: 'build', status: 'completed', conclusion: 'failure' });
    const failed = await deliver('check_run', { action: 'completed', check_run: { head_sha: head }, repository });
    expect(await failed.json()).toEqual({ matched: ['app/staging'] });
    expect((await promotion(id)).proposal?.checks).toEqual({ state: 'failure', total: 1, passed: 0 });
    expect((await promotion(id)).state).toBe('proposed');
    expect(github.pulls('acme/config')[0]?.state).toBe('open');

    // a re-run is a new check run of the same name: the newest is what counts
    await github.addCheckRun('acme/config', head, { name: 'build', status: 'completed', conclusion: 'success' });
    const passed = await deliver('check_run', { action: 'completed', check_run: { head_sha: head }, repository });
    expect(await passed.json()).toEqual({ matched: ['app/staging'] });
    const p = await promotion(id);
    expect(p.state).toBe('succeeded');
    expect(github.pulls('acme/config')[0]?.state).toBe('closed');
    expect(p.commitSha).toBe(github.pulls('acme/config')[0]?.mergeCommitSha);
    // Gantry read the runs through the check-runs endpoint, which answered
    const reads = github.requests().filter((r) => r.path === `/repos/acme/config/commits/${head}/check-runs`);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.status === 200)).toBe(true);
  });
});
