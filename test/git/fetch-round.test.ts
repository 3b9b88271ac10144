import { silentLogger } from '@gantry/core';
import { createGitRepositories, withFetchRound } from '@gantry/git';
import { commitToBareRepo, createBareRepo, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';

/** Two repositories whose clones are stale at once (`staleAfter` 0): every read outside a round fetches. */
async function twoRepositories(dir: string) {
  const a = await createBareRepo(`${dir}/a.git`, { 'x.yaml': 'a: 1\n' });
  const b = await createBareRepo(`${dir}/b.git`, { 'x.yaml': 'b: 1\n' });
  return createGitRepositories({
    dataDir: `${dir}/data`,
    logger: silentLogger,
    remotes: { a: { url: a, staleAfter: { ms: 0 } }, b: { url: b, staleAfter: { ms: 0 } } },
  });
}

describe('one fetch per repository per round of background reads', () => {
  it('GIVEN stale clones WHEN many reads of two repositories run in one round THEN each repository is fetched once; outside a round each read fetches', async () => {
    await using dir = await tempDir();
    const repos = await twoRepositories(dir.path);
    try {
      const read = (name: string) => repos.repository(name).snapshot('main', ['x.yaml']);
      await withFetchRound(async () => {
        for (let i = 0; i < 3; i++) await Promise.all([read('a'), read('b')]);
      });
      expect(repos.stats().fetches).toBe(2);
      await read('a');
      await read('a');
      expect(repos.stats().fetches).toBe(4);
    } finally {
      await repos.close();
    }
  });

  it('GIVEN a round under way WHEN the remote is said to have changed (push webhook) THEN the next read in the round fetches and sees the new commit', async () => {
    await using dir = await tempDir();
    const repos = await twoRepositories(dir.path);
    try {
      const a = repos.repository('a');
      await withFetchRound(async () => {
        const first = await a.tip('main');
        const pushed = await commitToBareRepo(`${dir.path}/a.git`, { files: { 'x.yaml': 'a: 2\n' } });
        expect(await a.tip('main')).toBe(first);
        a.expire();
        expect(await a.tip('main')).toBe(pushed);
      });
    } finally {
      await repos.close();
    }
  });
});
