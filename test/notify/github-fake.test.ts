import { Octokit } from '@octokit/rest';
import { createBareRepo, hasTool, runGit, startGitHubFake, tempDir } from '@gantry/testing';
import type { GitHubFake, TempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const TOKEN = 'ghp_fake_token_for_tests';
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The error Octokit threw, with the status and GitHub's body. */
async function failure(
  p: Promise<unknown>,
): Promise<{ status: number; data: unknown; headers: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status: number; response?: { data: unknown; headers: Record<string, unknown> } };
    return { status: err.status, data: err.response?.data, headers: err.response?.headers ?? {} };
  }
  throw new Error('expected the request to fail');
}

describe.skipIf(!hasTool('git'))('the GitHub fake', () => {
  let tmp: TempDir;
  let fake: GitHubFake;
  let sha: string;
  let octokit: InstanceType<typeof Octokit>;
  beforeEach(async () => {
    tmp = await tempDir('gantry-ghfake-');
    const dir = `${tmp.path}/web.git`;
    await createBareRepo(dir, { 'README.md': 'web\n' });
    sha = (await runGit(['rev-parse', 'refs/heads/main'], dir)).trim();
    fake = await startGitHubFake({
      repositories: { 'acme/web': dir },
      tokens: { [TOKEN]: 'gantry-bot' },
      clock: () => new Date('2025-01-02T03:04:05.678Z'),
    });
    octokit = new Octokit({ auth: TOKEN, baseUrl: fake.url, log: silent });
  });
  afterEach(async () => {
    await fake.stop();
    await tmp.remove();
  });

  it('GIVEN no token or a wrong one WHEN calling THEN 401 with GitHub’s error body', async () => {
    const none = await fetch(`${fake.url}/repos/acme/web/commits/main/status`);
    const wrong = await failure(
      new Octokit({ auth: 'nope', baseUrl: fake.url, log: silent }).rest.repos.getCombinedStatusForRef({
        owner: 'acme',
        repo: 'web',
        ref: 'main',
      }),
    );

    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      message: 'Requires authentication',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });
    expect(wrong).toMatchObject({ status: 401, data: { message: 'Bad credentials' } });
  });

  it('GIVEN a commit in the bare repository WHEN a status is created THEN 201 with the documented shape, and it is listed and combined', async () => {
    const created = await octokit.rest.repos.createCommitStatus({
      owner: 'acme',
      repo: 'web',
      sha,
      state: 'success',
      target_url: 'https://gantry.example.com/p/1',
      description: 'promoted',
      context: 'gantry/web/production',
    });
    await octokit.rest.repos.createCommitStatus({ owner: 'acme', repo: 'web', sha, state: 'pending', context: 'ci' });

    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`${fake.url}/repos/acme/web/statuses/${sha}`);
    expect(created.data).toMatchObject({
      url: `${fake.url}/repos/acme/web/statuses/${sha}`,
      state: 'success',
      description: 'promoted',
      target_url: 'https://gantry.example.com/p/1',
      context: 'gantry/web/production',
      created_at: '2025-01-02T03:04:05Z',
      updated_at: '2025-01-02T03:04:05Z',
      creator: { login: 'gantry-bot', type: 'User' },
    });
    expect(Object.keys(created.data).sort()).toEqual([
      'avatar_url',
      'context',
      'created_at',
      'creator',
      'description',
      'id',
      'node_id',
      'state',
      'target_url',
      'updated_at',
      'url',
    ]);
    // by branch name: newest first
    const listed = await octokit.rest.repos.listCommitStatusesForRef({ owner: 'acme', repo: 'web', ref: 'main' });
    expect(listed.data.map((s) => s.context)).toEqual(['ci', 'gantry/web/production']);
    const combined = await octokit.rest.repos.getCombinedStatusForRef({ owner: 'acme', repo: 'web', ref: sha });
    expect(combined.data).toMatchObject({
      state: 'pending',
      sha,
      total_count: 2,
      repository: { full_name: 'acme/web' },
    });

    await octokit.rest.repos.createCommitStatus({ owner: 'acme', repo: 'web', sha, state: 'failure', context: 'CI' });
    const after = await octokit.rest.repos.getCombinedStatusForRef({ owner: 'acme', repo: 'web', ref: 'main' });
    // contexts are case-insensitive: CI replaced ci
    expect(after.data.state).toBe('failure');
    expect(after.data.statuses.map((s) => [s.context, s.state])).toEqual([
      ['CI', 'failure'],
      ['gantry/web/production', 'success'],
    ]);
  });

  it('GIVEN an unknown SHA, a bad state or an unknown repository WHEN creating a status THEN GitHub’s 422 and 404 answers', async () => {
    const unknown = 'f'.repeat(40);
    const noCommit = await failure(
      octokit.rest.repos.createCommitStatus({ owner: 'acme', repo: 'web', sha: unknown, state: 'success' }),
    );
    // a state GitHub does not know: Octokit's types would refuse it, so the request is built by hand
    const badState = await failure(
      octokit.request(`POST /repos/acme/web/statuses/${sha}`, { data: JSON.stringify({ state: 'green' }) } as never),
    );
    const tooLong = await failure(
      octokit.rest.repos.createCommitStatus({
        owner: 'acme',
        repo: 'web',
        sha,
        state: 'success',
        description: 'x'.repeat(141),
      }),
    );
    const noRepo = await failure(
      octokit.rest.repos.createCommitStatus({ owner: 'acme', repo: 'api', sha, state: 'success' }),
    );

    expect(noCommit).toMatchObject({ status: 422, data: { message: `No commit found for SHA: ${unknown}` } });
    expect(badState).toMatchObject({
      status: 422,
      data: {
        message: 'Validation Failed',
        errors: [{ resource: 'Status', field: 'state', code: 'custom', message: 'state is not included in the list' }],
      },
    });
    expect(tooLong).toMatchObject({ status: 422, data: { errors: [{ field: 'description' }] } });
    expect(noRepo).toMatchObject({ status: 404, data: { message: 'Not Found' } });
    expect(fake.statuses('acme/web')).toEqual([]);
  });

  it('GIVEN statuses on a ref WHEN a deployment is created THEN it checks them, and takes deployment statuses', async () => {
    await octokit.rest.repos.createCommitStatus({ owner: 'acme', repo: 'web', sha, state: 'failure', context: 'ci' });
    const blocked = await failure(octokit.rest.repos.createDeployment({ owner: 'acme', repo: 'web', ref: 'main' }));
    const created = await octokit.rest.repos.createDeployment({
      owner: 'acme',
      repo: 'web',
      ref: 'main',
      environment: 'staging',
      required_contexts: [],
    });
    if (created.status !== 201) throw new Error('expected a deployment');
    const status = await octokit.rest.repos.createDeploymentStatus({
      owner: 'acme',
      repo: 'web',
      deployment_id: Number(created.data.id),
      state: 'success',
      log_url: 'https://gantry.example.com/p/1',
    });

    expect(blocked).toMatchObject({
      status: 409,
      data: { message: 'Conflict: Commit status checks failed for main.' },
    });
    expect(created.data).toMatchObject({
      sha,
      ref: 'main',
      environment: 'staging',
      task: 'deploy',
      production_environment: false,
    });
    expect(status.data).toMatchObject({
      state: 'success',
      environment: 'staging',
      target_url: 'https://gantry.example.com/p/1',
      deployment_url: `${fake.url}/repos/acme/web/deployments/${created.data.id}`,
    });
    expect(fake.deployments('acme/web').map((d) => d.statuses.map((s) => s.state))).toEqual([['success']]);
  });

  it('GIVEN a fault is injected WHEN the next request comes THEN it is answered 429 with Retry-After, and every request is recorded', async () => {
    fake.failNext({ status: 429, retryAfter: 3, path: '/statuses/' });
    const limited = await failure(
      octokit.rest.repos.createCommitStatus({ owner: 'acme', repo: 'web', sha, state: 'success' }),
    );
    await octokit.rest.repos.createCommitStatus({ owner: 'acme', repo: 'web', sha, state: 'success' });

    expect(limited).toMatchObject({ status: 429, headers: { 'retry-after': '3' } });
    expect(fake.requests().map((q) => [q.method, q.path, q.status])).toEqual([
      ['POST', `/repos/acme/web/statuses/${sha}`, 429],
      ['POST', `/repos/acme/web/statuses/${sha}`, 201],
    ]);
    expect(fake.requests()[1]).toMatchObject({
      headers: { authorization: `token ${TOKEN}` },
      body: { state: 'success' },
    });
  });
});
