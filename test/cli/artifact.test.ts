import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiArtifact, ApiArtifactList, ApiArtifactReportResult } from '@gantry/api';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../server/serve-process.js';
import { serveProcess } from '../server/serve-process.js';
import { gantry, json } from './run-cli.js';

/** An application repository checked out as a CI job would have it, with one commit by Ann. */
async function checkout(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Ann Example',
        GIT_AUTHOR_EMAIL: 'ann@example.com',
        GIT_AUTHOR_DATE: '2026-03-01T09:00:00Z',
        GIT_COMMITTER_NAME: 'Ann Example',
        GIT_COMMITTER_EMAIL: 'ann@example.com',
        GIT_COMMITTER_DATE: '2026-03-01T09:00:00Z',
      },
    }).trim();
  git('init', '-q', '-b', 'main');
  await writeFile(join(dir, 'main.go'), 'package main\n');
  git('add', 'main.go');
  git('commit', '-q', '-m', 'Fix checkout rounding (SHOP-12)\n\nLonger explanation.');
  return git('rev-parse', 'HEAD');
}

describe('gantry artifact against gantry serve, in a GitHub Actions job', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: string;
  let job: string;
  let sha: string;
  let server: ServeProcess;
  let ciToken: string;
  const actions = (): NodeJS.ProcessEnv => ({
    GANTRY_SERVER: server.url,
    GANTRY_TOKEN: ciToken,
    GITHUB_ACTIONS: 'true',
    GITHUB_SHA: sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
  });

  beforeAll(async () => {
    root = await tempDir('gantry-cli-artifact-');
    sandbox = join(root.path, 'sandbox');
    expect((await gantry(['sandbox', 'init', '--yaml', sandbox], root.path)).code).toBe(0);
    await writeFile(join(sandbox, 'gantry.yaml'), `${'server:\n  schedules: []\n'}`, { flag: 'a' });
    const created = await gantry(['token', 'create', '--name', 'github', '--role', 'ci', '--json'], sandbox);
    expect(created.code, created.stderr).toBe(0);
    ciToken = json<{ token: string }>(created).token;
    job = join(root.path, 'job');
    sha = await checkout(job);
    server = await serveProcess(sandbox);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await root?.remove();
  });

  it('GIVEN GitHub Actions variables and a checkout WHEN artifact report runs with only image, digest and steps THEN the server records commit, branch, repository, run, author and message', async () => {
    const pushed = await gantry(['sandbox', 'push', sandbox, '--json'], root.path);
    const { digest } = json<{ digest: string }>(pushed);
    const r = await gantry(
      [
        'artifact',
        'report',
        '--image',
        'localhost:5000/app',
        '--digest',
        digest,
        '--step',
        'build=succeeded:1m30s@https://github.com/acme/app/actions/runs/4242/job/1',
        '--step',
        'test=running',
        '--json',
      ],
      job,
      actions(),
    );
    expect(r.code, r.stderr).toBe(0);
    const { artifact, outcome } = json<ApiArtifactReportResult>(r);
    expect(outcome).toBe('created');
    expect(artifact).toMatchObject({
      image: 'localhost:5000/app',
      digest,
      verified: true,
      pipelines: ['app'],
      reportedBy: 'github',
      source: {
        repository: 'https://github.com/acme/app',
        commit: sha,
        branch: 'main',
        author: { name: 'Ann Example', email: 'ann@example.com' },
        message: 'Fix checkout rounding (SHOP-12)\n\nLonger explanation.',
        time: '2026-03-01T09:00:00.000Z',
      },
      ci: { runUrl: 'https://github.com/acme/app/actions/runs/4242', provider: 'github-actions' },
    });
    expect(artifact.steps.map((s) => [s.name, s.status, s.durationMs ?? null])).toEqual([
      ['build', 'succeeded', 90_000],
      ['test', 'running', null],
    ]);

    // WHEN the job runs the same command again (a retried step): nothing changes
    const again = await gantry(
      ['artifact', 'report', '--image', 'localhost:5000/app', '--digest', digest, '--json'],
      job,
      actions(),
    );
    expect(json<ApiArtifactReportResult>(again).outcome).toBe('unchanged');

    // steps as the pipeline runs
    const step = await gantry(
      ['artifact', 'step', artifact.id, '--name', 'test', '--status', 'succeeded', '--duration', '2m'],
      job,
      actions(),
    );
    expect(step.code, step.stderr).toBe(0);
    expect(step.stdout).toMatch(/test\s+succeeded\s+2m00s/);
    const shown = json<ApiArtifact>(await gantry(['artifact', 'show', artifact.id, '--json'], job, actions()));
    expect(shown.steps.find((s) => s.name === 'test')).toMatchObject({ status: 'succeeded', durationMs: 120_000 });

    // the newest build of a branch, and a branch without builds: exit 2 naming those with builds
    const list = await gantry(['artifact', 'list', '--pipeline', 'app', '--branch', 'main', '--json'], job, actions());
    expect(json<ApiArtifactList>(list).items.map((a) => a.id)).toEqual([artifact.id]);
    const none = await gantry(['artifact', 'list', '--pipeline', 'app', '--branch', 'hotfix'], job, actions());
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('branches with builds: main');

    // the ci token reports; it does not promote
    const promote = await gantry(['promote', 'app', 'staging'], job, actions());
    expect(promote.code).not.toBe(0);
    expect(promote.stderr).toContain('has ci');
  }, 120_000);

  it('GIVEN a malformed --step THEN exit 2 naming the flag, nothing sent', async () => {
    const r = await gantry(
      [
        'artifact',
        'report',
        '--image',
        'localhost:5000/app',
        '--digest',
        `sha256:${'a'.repeat(64)}`,
        '--step',
        'test=green',
      ],
      job,
      actions(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--step "test=green"');
  }, 60_000);
});
