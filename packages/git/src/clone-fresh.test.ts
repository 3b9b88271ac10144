import type { TempDir } from '@gantry/testing';
import { readingFreshSince, silentLogger } from '@gantry/core';
import { fileLock } from '@gantry/locks';
import { commitToBareRepo, createBareRepo, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { cloneDir, openClone } from './clone.js';

/** A remote with one commit, and a clone of it whose cached tip counts as fresh for a minute. */
async function cachedClone(dir: TempDir) {
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
  /** Another process's hold of the clone's fetch lock. */
  const holdFetchLock = () => fileLock(`${cloneDir(options.dataDir, 'config', url)}.locks/fetch.lock`).acquire('test');
  /** A colleague's push to the remote; its SHA. */
  const push = (text: string) => commitToBareRepo(bare, { files: { 'a.yaml': text }, message: 'a colleague' });
  return { clone, stats, holdFetchLock, push };
}

describe('a clone asked for reads newer than a time', () => {
  it('GIVEN a tip fetched a moment ago and a push since WHEN read inside readingFreshSince(now) THEN it fetches and sees the push; a time before that fetch does not fetch again', async () => {
    await using dir = await tempDir('gantry-clone-fresh-');
    const { clone, stats, push } = await cachedClone(dir);
    try {
      const first = await clone.tip('main');
      const fetchedAt = Date.now();
      const pushed = await push('a: 2\n');
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
    } finally {
      clone.close();
    }
  });

  it('GIVEN a push webhook expired the cache and a fetch is in flight since WHEN a person asks after a later push THEN the read waits for a fetch begun after asking, not the one in flight', async () => {
    await using dir = await tempDir('gantry-clone-fresh-expired-');
    const { clone, stats, holdFetchLock, push } = await cachedClone(dir);
    try {
      await clone.tip('main');
      // GIVEN a webhook's expiry, and the fetch it causes held up (another process holds the fetch lock)
      clone.expire();
      const held = await holdFetchLock();
      const background = clone.tip('main');
      await new Promise((r) => setTimeout(r, 20));
      const pushed = await push('a: 3\n');
      // WHEN a person asks now, while that fetch is still in flight
      const asked = Date.now();
      const read = readingFreshSince(asked, () => clone.tip('main'));
      await held.release();
      // THEN the read is answered by a fetch of its own, begun after it asked
      expect(await read).toBe(pushed);
      await background;
      expect(stats.fetches).toBe(3);
    } finally {
      clone.close();
    }
  });
});
