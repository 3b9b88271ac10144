import { readingFreshSince, silentLogger } from '@gantry/core';
import { commitToBareRepo, createBareRepo, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { fileLock } from '@gantry/locks';
import { cloneDir, openClone } from './clone.js';

describe('a clone asked for reads newer than a time', () => {
  it('GIVEN a tip fetched a moment ago and a push since WHEN read inside readingFreshSince(now) THEN it fetches and sees the push; a time before that fetch does not fetch again', async () => {
    const dir = await tempDir('gantry-clone-fresh-');
    try {
      const bare = `${dir.path}/remote.git`;
      const url = await createBareRepo(bare, { 'a.yaml': 'a: 1\n' });
      const stats = { processes: 0, fetches: 0, pushes: 0, commits: 0 };
      const clone = openClone({
        name: 'config',
        url,
        dataDir: `${dir.path}/data`,
        // a cached tip counts as fresh for a minute
        staleAfter: { ms: 60_000 },
        networkEnv: async () => ({}),
        secrets: [],
        stats,
        logger: silentLogger,
      });
      const first = await clone.tip('main');
      const fetchedAt = Date.now();
      const pushed = await commitToBareRepo(bare, { files: { 'a.yaml': 'a: 2\n' }, message: 'a colleague' });
      // GIVEN the cache still answers with the old tip
      expect(await clone.tip('main')).toBe(first);
      expect(stats.fetches).toBe(1);
      // WHEN a read must be newer than now THEN it fetches
      const asked = Date.now();
      expect(await readingFreshSince(asked, () => clone.tip('main'))).toBe(pushed);
      expect(stats.fetches).toBe(2);
      // AND a read that needs no more than what was fetched since does not fetch again
      expect(await readingFreshSince(fetchedAt, () => clone.tip('main'))).toBe(pushed);
      expect(stats.fetches).toBe(2);
      clone.close();
    } finally {
      await dir.remove();
    }
  });

  it('GIVEN a push webhook expired the cache and a fetch is in flight since WHEN a person asks after a later push THEN the read waits for a fetch begun after asking, not the one in flight', async () => {
    const dir = await tempDir('gantry-clone-fresh-expired-');
    try {
      const bare = `${dir.path}/remote.git`;
      const url = await createBareRepo(bare, { 'a.yaml': 'a: 1\n' });
      const stats = { processes: 0, fetches: 0, pushes: 0, commits: 0 };
      const options = {
        name: 'config',
        url,
        dataDir: `${dir.path}/data`,
        staleAfter: { ms: 60_000 },
        networkEnv: async () => ({}),
        secrets: [],
        stats,
        logger: silentLogger,
      };
      const clone = openClone(options);
      await clone.tip('main');
      // GIVEN a webhook's expiry, and the fetch it causes held up (another process holds the fetch lock)
      clone.expire();
      const held = await fileLock(`${cloneDir(options.dataDir, 'config', url)}.locks/fetch.lock`).acquire('test');
      const background = clone.tip('main');
      await new Promise((r) => setTimeout(r, 20));
      const pushed = await commitToBareRepo(bare, { files: { 'a.yaml': 'a: 3\n' }, message: 'a colleague' });
      // WHEN a person asks now, while that fetch is still in flight
      const asked = Date.now();
      const read = readingFreshSince(asked, () => clone.tip('main'));
      await held.release();
      // THEN the read is answered by a fetch of its own, begun after it asked
      expect(await read).toBe(pushed);
      await background;
      expect(stats.fetches).toBe(3);
      clone.close();
    } finally {
      await dir.remove();
    }
  });
});
