import { join } from 'node:path';
import type { GitHubFake, TempDir } from '@gantry/testing';
import { commitToBareRepo, createBareRepo, readBareFile, runGit, startGitHubFake, tempDir } from '@gantry/testing';
import { afterEach, expect, it } from 'vitest';

const TOKEN = 'ghp_mergeMethodsToken';
let tmp: TempDir;
let github: GitHubFake;
afterEach(async () => {
  await github?.stop();
  await tmp?.remove();
});

async function setup(): Promise<{
  bare: string;
  api: (method: string, path: string, body?: unknown) => Promise<Response>;
}> {
  tmp = await tempDir('gantry-fake-merge-');
  const bare = join(tmp.path, 'r.git');
  await createBareRepo(bare, { 'README.md': 'r\n' }, { branches: { feature: { 'a.txt': 'one\n' } } });
  await commitToBareRepo(bare, { branch: 'feature', files: { 'b.txt': 'two\n' }, message: 'add b' });
  // the base moved on meanwhile, so a rebase has something to replay onto
  await commitToBareRepo(bare, { branch: 'main', files: { 'c.txt': 'three\n' }, message: 'add c' });
  github = await startGitHubFake({ repositories: { 'acme/r': bare }, tokens: { [TOKEN]: 'dev' } });
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${github.url}/repos/acme/r${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  expect((await api('POST', '/pulls', { title: 'Feature', head: 'feature', base: 'main' })).status).toBe(201);
  return { bare, api };
}
const git = (bare: string, ...args: string[]) => runGit(args, bare).then((o) => o.trim());

it('GIVEN a pull request of two commits WHEN merged with merge_method rebase THEN the base ends with both commits replayed onto its old tip, no merge commit', async () => {
  const { bare, api } = await setup();
  const oldBase = await git(bare, 'rev-parse', 'main');
  const res = await api('PUT', '/pulls/1/merge', { merge_method: 'rebase' });
  expect(res.status).toBe(200);
  const { sha } = (await res.json()) as { sha: string };
  expect(await git(bare, 'rev-parse', 'main')).toBe(sha);
  expect(await git(bare, 'log', '--format=%s', `${oldBase}..main`)).toBe('add b\nset up feature');
  expect(await git(bare, 'rev-list', '--merges', `${oldBase}..main`)).toBe('');
  expect(await git(bare, 'rev-parse', `${sha}~2`)).toBe(oldBase);
  expect(await readBareFile(bare, 'main', 'b.txt')).toBe('two\n');
  expect(await readBareFile(bare, 'main', 'c.txt')).toBe('three\n');
  expect(github.pulls('acme/r')[0]?.mergeCommitSha).toBe(sha);
});

it('GIVEN a pull request WHEN merged with merge_method squash and a commit_title THEN one non-merge commit with that title carries both changes', async () => {
  const { bare, api } = await setup();
  const oldBase = await git(bare, 'rev-parse', 'main');
  const res = await api('PUT', '/pulls/1/merge', { merge_method: 'squash', commit_title: 'Feature (#1)' });
  expect(res.status).toBe(200);
  const { sha } = (await res.json()) as { sha: string };
  expect(await git(bare, 'rev-list', '--parents', '-n', '1', sha)).toBe(`${sha} ${oldBase}`);
  expect(await git(bare, 'log', '-1', '--format=%B', sha)).toBe('Feature (#1)\n\n* set up feature\n* add b');
  expect(await readBareFile(bare, 'main', 'a.txt')).toBe('one\n');
  expect(await readBareFile(bare, 'main', 'b.txt')).toBe('two\n');
});

it('GIVEN an unknown merge_method WHEN merging THEN 422 and nothing moves', async () => {
  const { bare, api } = await setup();
  const oldBase = await git(bare, 'rev-parse', 'main');
  expect((await api('PUT', '/pulls/1/merge', { merge_method: 'octopus' })).status).toBe(422);
  expect(await git(bare, 'rev-parse', 'main')).toBe(oldBase);
});
