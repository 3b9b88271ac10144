import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox } from '@gantry/cli';
import { signBody } from '@gantry/server';
import type { GitHttpServer, GitHubFake, TempDir } from '@gantry/testing';
import { commitToBareRepo, readBareFile, runGit, startGitHttpServer, startGitHubFake, tempDir } from '@gantry/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';
import { sandboxServer } from './sandbox-server.js';
import { until } from './until.js';
import { promoteNewImage, promotionOf } from './staging-proposals.js';

const HOOK = 'hook-secret';
const TOKEN = 'ghp_proposalsRebaseToken00000000000000';
const FILE = 'env/staging/deployment.yaml';
const HEAD = 'gantry/app/staging';

const yaml = (gitUrl: string, apiUrl: string) => `dataDir: .gantry
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
        source:
          type: git
          repository: config
          path: ${FILE}
          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }
`;

describe('the target branch moved under an open proposal (GitHub fake, real Git)', () => {
  let tmp: TempDir;
  let git: GitHttpServer;
  let github: GitHubFake;
  let s: SandboxServer;
  let bare: string;

  afterEach(async () => {
    await s?.close();
    await github?.stop();
    await git?.stop();
  });

  async function start() {
    tmp = await tempDir('gantry-proposals-rebase-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    bare = join(dir, 'config.git');
    git = await startGitHttpServer({ root: dir });
    github = await startGitHubFake({ repositories: { 'acme/config': bare }, tokens: { [TOKEN]: 'gantry-bot' } });
    await writeFile(join(dir, 'gantry.yaml'), yaml(git.url, github.url));
    s = await sandboxServer({ tmp });
  }
  const promotion = (id: string) => promotionOf(s, id);
  const propose = () => promoteNewImage(s, new Date(Date.UTC(2030, 0, 1)));
  /** The push event GitHub sends for main, signed as the repository's webhook signs it. */
  const pushHook = async (paths: readonly string[]) => {
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      repository: { full_name: 'acme/config', clone_url: `${git.url}/config.git` },
      commits: [{ modified: paths }],
    });
    return s.api('/api/v1/webhooks/git', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-hub-signature-256': signBody(HOOK, body),
      },
    });
  };

  it('GIVEN an open proposal WHEN someone merges another change to main and GitHub sends the push THEN the proposal is rebuilt on the new tip, force-pushed and says so, and merging it keeps both changes', async () => {
    await start();
    const { id, digest } = await propose();
    const before = await promotion(id);
    expect(before.state).toBe('proposed');
    const oldHead = before.proposal?.headSha ?? '';

    // WHEN someone else changes another line of the same file (and a file beside it) on main
    const text = await readBareFile(bare, 'main', FILE);
    expect(text).toContain('replicas: 1');
    const tip = await commitToBareRepo(bare, {
      files: { [FILE]: text.replace('replicas: 1', 'replicas: 3'), 'env/staging/README.md': 'staging\n' },
      message: 'scale staging by hand',
    });
    const hook = await pushHook([FILE, 'env/staging/README.md']);
    expect(hook.status).toBe(202);

    // THEN the proposal branch is one commit on the new tip, holding both changes
    await until(async () => {
      const p = await promotion(id);
      return p.proposal?.headSha !== oldHead ? p : undefined;
    }, 'the proposal rebuilt on the new tip');
    const after = await promotion(id);
    expect(after.state).toBe('proposed');
    expect(after.proposal?.number).toBe(before.proposal?.number);
    const head = (await runGit(['rev-parse', `refs/heads/${HEAD}`], bare)).trim();
    expect(after.proposal?.headSha).toBe(head);
    expect((await runGit(['rev-parse', `${head}^`], bare)).trim()).toBe(tip);
    const proposed = await readBareFile(bare, HEAD, FILE);
    expect(proposed).toContain(digest);
    expect(proposed).toContain('replicas: 3');
    expect(await readBareFile(bare, HEAD, 'env/staging/README.md')).toBe('staging\n');
    // the diff of the pull request is still only the version line(s)
    const diff = await runGit(['diff', '--numstat', tip, head], bare);
    expect(diff.trim().split('\n')).toHaveLength(1);
    const [pull] = github.pulls('acme/config');
    expect(pull?.comments.map((c) => c.body).join('\n')).toContain(`rebased this onto ${tip}`);
    expect(pull?.head).toBe(HEAD);

    // AND a second look (a poll round) finds nothing to do: no second push, no second comment
    await s.server.deps.promotions.checkProposals({ force: true });
    expect((await promotion(id)).proposal?.headSha).toBe(head);
    expect(github.pulls('acme/config')[0]?.comments).toHaveLength(1);

    // WHEN it is merged THEN the promotion succeeds and main holds both the version and the scale
    const merge = await github.merge('acme/config', 1);
    await s.server.deps.promotions.checkProposals({ force: true });
    await until(async () => ((await promotion(id)).state === 'succeeded' ? true : undefined), 'merged');
    expect((await promotion(id)).commitSha).toBe(merge);
    const merged = await readBareFile(bare, 'main', FILE);
    expect(merged).toContain(digest);
    expect(merged).toContain('replicas: 3');
  });

  it('GIVEN an open proposal WHEN someone sets another version on main THEN the poll round fails the promotion with proposal_conflict and says so on the pull request, leaving the branch alone', async () => {
    await start();
    const { id, digest } = await propose();
    const oldHead = (await promotion(id)).proposal?.headSha;

    // WHEN someone changes the version line itself on main
    const text = await readBareFile(bare, 'main', FILE);
    const running = /sha256:[0-9a-f]{64}/.exec(text)?.[0] ?? '';
    expect(running).not.toBe('');
    const other = `sha256:${'e'.repeat(64)}`;
    const tip = await commitToBareRepo(bare, {
      files: { [FILE]: text.replaceAll(running, other) },
      message: 'pin staging by hand',
    });
    // the poll round (no webhook): the clone's next read fetches
    s.runtime.repositories.repository('config').expire();
    await s.server.deps.promotions.checkProposals({ force: true });

    // THEN the promotion fails saying why, and the pull request says so too
    const p = await promotion(id);
    expect(p.state).toBe('failed');
    expect(p.error?.code).toBe('proposal_conflict');
    expect(p.error?.message).toContain('pull request #1');
    expect(p.error?.message).toContain(tip.slice(0, 12));
    const [pull] = github.pulls('acme/config');
    expect(pull?.comments.map((c) => c.body).join('\n')).toContain('Gantry cannot rebase this');
    // the branch still holds what was proposed: nothing was silently re-applied over their version
    expect((await runGit(['rev-parse', `refs/heads/${HEAD}`], bare)).trim()).toBe(oldHead);
    expect(await readBareFile(bare, HEAD, FILE)).toContain(digest);
    expect(await readBareFile(bare, 'main', FILE)).toContain(other);
  });
});
