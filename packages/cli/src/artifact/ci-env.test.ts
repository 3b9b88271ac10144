import { describe, expect, it } from 'vitest';
import { fromGitHubActions, fromGitLabCi, parseAuthor, parseStep, reportFacts, sourceAndCi } from './ci-env.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('a report from the CI environment', () => {
  it('GIVEN a GitHub Actions push THEN commit, branch, repository URL and run URL; a tag push names no branch', () => {
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: SHA,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_REF_TYPE: 'branch',
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_SERVER_URL: 'https://github.example.com/',
      GITHUB_RUN_ID: '77',
    };
    expect(fromGitHubActions(env)).toEqual({
      commit: SHA,
      branch: 'main',
      repository: 'https://github.example.com/acme/app',
      runUrl: 'https://github.example.com/acme/app/actions/runs/77',
      provider: 'github-actions',
    });
    expect(
      fromGitHubActions({ ...env, GITHUB_REF: 'refs/tags/v1', GITHUB_REF_NAME: 'v1', GITHUB_REF_TYPE: 'tag' }).branch,
    ).toBe(undefined);
    // a pull request's branch is its head, not the merge ref
    expect(fromGitHubActions({ ...env, GITHUB_REF_NAME: '12/merge', GITHUB_HEAD_REF: 'feature/x' }).branch).toBe(
      'feature/x',
    );
    expect(fromGitHubActions({})).toEqual({});
  });

  it('GIVEN GitLab CI THEN commit, branch, author, message, time and pipeline URL', () => {
    expect(
      fromGitLabCi({
        GITLAB_CI: 'true',
        CI_COMMIT_SHA: SHA,
        CI_COMMIT_BRANCH: 'main',
        CI_PROJECT_URL: 'https://gitlab.example.com/acme/app',
        CI_PIPELINE_URL: 'https://gitlab.example.com/acme/app/-/pipelines/9',
        CI_COMMIT_AUTHOR: 'Ann Example <ann@example.com>',
        CI_COMMIT_MESSAGE: 'Fix it\n',
        CI_COMMIT_TIMESTAMP: '2026-03-01T09:00:00+00:00',
      }),
    ).toEqual({
      commit: SHA,
      branch: 'main',
      repository: 'https://gitlab.example.com/acme/app',
      authorName: 'Ann Example',
      authorEmail: 'ann@example.com',
      message: 'Fix it\n',
      time: '2026-03-01T09:00:00+00:00',
      runUrl: 'https://gitlab.example.com/acme/app/-/pipelines/9',
      provider: 'gitlab-ci',
    });
  });

  it('GIVEN flags and the environment THEN each flag wins over the environment; empty flags are ignored', () => {
    const facts = reportFacts(
      { branch: 'release/2', commit: '' },
      { GITHUB_ACTIONS: 'true', GITHUB_SHA: SHA, GITHUB_REF_NAME: 'main', GITHUB_REPOSITORY: 'acme/app' },
      '/nonexistent',
    );
    expect(facts).toMatchObject({ commit: SHA, branch: 'release/2', repository: 'https://github.com/acme/app' });
    expect(sourceAndCi({ commit: SHA, authorEmail: 'ann@example.com', provider: 'github-actions' })).toEqual({
      source: { commit: SHA, author: { email: 'ann@example.com' } },
      ci: { provider: 'github-actions' },
    });
    expect(sourceAndCi({})).toEqual({});
  });

  it('GIVEN --step and --author text THEN parsed; a bad status or duration names the flag', () => {
    expect(parseStep('unit tests=succeeded:1m30s@https://ci.example.com/jobs/7?a=b@c')).toEqual({
      name: 'unit tests',
      status: 'succeeded',
      durationMs: 90_000,
      url: 'https://ci.example.com/jobs/7?a=b@c',
    });
    expect(parseStep('scan=skipped')).toEqual({ name: 'scan', status: 'skipped' });
    expect(parseStep('build=failed:42')).toEqual({ name: 'build', status: 'failed', durationMs: 42_000 });
    expect(() => parseStep('build=green')).toThrow(/--step "build=green"/);
    expect(() => parseStep('build=failed:soon')).toThrow(/--step: "soon" is not a duration/);
    expect(parseAuthor('Ann Example <ann@example.com>')).toEqual({
      authorName: 'Ann Example',
      authorEmail: 'ann@example.com',
    });
    expect(parseAuthor('ann@example.com')).toEqual({ authorEmail: 'ann@example.com' });
    expect(parseAuthor('Ann')).toEqual({ authorName: 'Ann' });
  });
});
