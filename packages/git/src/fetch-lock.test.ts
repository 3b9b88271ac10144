import { silentLogger } from '@gantry/core';
import { fileLock } from '@gantry/locks';
import { createBareRepo, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { cloneDir, openClone } from './clone.js';

describe('a clone fetching', () => {
  it('GIVEN another process holding the clone fetch lock WHEN a read needs a fetch THEN it fetches only once the lock is let go', async () => {
    const dir = await tempDir('gantry-fetch-lock-');
    try {
      const url = `file://${await createBareRepo(`${dir.path}/remote.git`, { 'a.yaml': 'a: 1\n' })}`;
      const stats = { processes: 0, fetches: 0, pushes: 0, commits: 0 };
      const options = {
        name: 'config',
        url,
        dataDir: `${dir.path}/data`,
        staleAfter: { ms: 0 },
        networkEnv: async () => ({}),
        secrets: [],
        stats,
        logger: silentLogger,
      };
      const clone = openClone(options);
      const held = await fileLock(`${cloneDir(options.dataDir, 'config', url)}.locks/fetch.lock`).acquire('test');
      let fetched = false;
      const tip = clone.tip('main').then((sha) => {
        fetched = true;
        return sha;
      });
      // WHEN the lock is still held, a while on
      await new Promise((r) => setTimeout(r, 300));
      expect(fetched).toBe(false);
      // THEN once it is let go the fetch goes through
      await held.release();
      expect(await tip).toMatch(/^[0-9a-f]{40}$/);
      expect(stats.fetches).toBe(1);
      clone.close();
    } finally {
      await dir.remove();
    }
  });
});
