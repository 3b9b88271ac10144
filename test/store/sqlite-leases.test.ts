import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@gantry/store';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';

const holder = fileURLToPath(new URL('./fixtures/claim-and-hold.ts', import.meta.url));

describe('SQLite claims across processes sharing a data directory', () => {
  it('GIVEN another process holds a claim WHEN the server looks for orphans THEN the claim is alive until that process dies', async () => {
    const tmp = await tempDir('gantry-sqlite-lease-');
    const path = join(tmp.path, 'gantry.db');
    const server = await openStore({ sqlitePath: path });
    try {
      // GIVEN a queued promotion claimed by another process (a CLI command)
      const digest = `sha256:${createHash('sha256').update('1.0.0').digest('hex')}`;
      const p = await server.createPromotion({
        pipeline: 'web',
        phase: 'prod',
        toDigest: digest,
        toVersion: '1.0.0',
        target: { kind: 'oci-image', repository: 'registry.test/web', digest },
        trigger: { kind: 'person', actor: 'alice' },
        reason: 'test',
      });
      const child = spawn(process.execPath, ['--import', 'tsx', holder, path], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      expect(line.toString().trim()).toBe(p.id);
      // WHEN the server looks for orphans while that process lives
      // THEN there are none: the claim is somebody's
      expect(await server.orphanedPromotions()).toEqual([]);
      // WHEN the process dies mid-promotion
      child.kill('SIGKILL');
      await once(child, 'exit');
      // THEN its claim is an orphan, for recovery to settle
      expect((await server.orphanedPromotions()).map((o) => o.id)).toEqual([p.id]);
    } finally {
      await server.close();
      await tmp.remove();
    }
  });
});
