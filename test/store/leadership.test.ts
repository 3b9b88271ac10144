import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '@gantry/store';
import { hasPostgres, postgresSchema } from '@gantry/testing';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/hold-leadership.ts', import.meta.url));

describe.skipIf(!(await hasPostgres()))('leadership on PostgreSQL', () => {
  it('GIVEN a leader replica running a promotion WHEN it is killed with SIGKILL THEN another store leads and sees the promotion orphaned', async () => {
    await using schema = await postgresSchema();
    const seed = await openStore({ databaseUrl: schema.url });
    const p = await seed.createPromotion({
      pipeline: 'web',
      phase: 'prod',
      toDigest: 'sha256:01',
      toVersion: '1.0.1',
      target: { kind: 'oci-image' },
      trigger: { kind: 'person', actor: 'alice' },
      reason: 'test',
    });
    await seed.close();
    const proc = spawn(process.execPath, ['--import', 'tsx', child, schema.url, 'scheduler'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(proc.stdout, 'data')) as [Buffer];
      expect(line.toString().trim()).toBe(`leader ${p.id}`);
      const store = await openStore({ databaseUrl: schema.url });
      try {
        expect(await store.tryAcquireLeadership('scheduler')).toBe(false);
        expect(await store.orphanedPromotions()).toEqual([]);
        proc.kill('SIGKILL');
        await once(proc, 'exit');
        // The server notices the dead connection on its own time; poll, bounded by the test timeout.
        let leader = false;
        while (!leader) {
          leader = await store.tryAcquireLeadership('scheduler');
          if (!leader) await sleep(50);
        }
        expect(leader).toBe(true);
        expect((await store.orphanedPromotions()).map((o) => [o.id, o.state, o.claimedBy])).toEqual([
          [p.id, 'running', 'child'],
        ]);
      } finally {
        await store.close();
      }
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
  });
});
