import { join } from 'node:path';
import type { ApiDeliveryMetrics } from '@gantry/api';
import { openStore } from '@gantry/store';
import type { TempDir } from '@gantry/testing';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../server/sandbox-server.js';
import { sandboxServer } from '../server/sandbox-server.js';
import { HOUR, seedDeliveryHistory } from '../store/metrics-history.js';
import { gantry, json } from './run-cli.js';

/**
 * `gantry metrics` over the seeded week of test/store/metrics-history.ts (recorded as the
 * sandbox's pipeline `app`), from the data directory's store and from a server, alike.
 */
describe('gantry metrics', () => {
  let root: TempDir;
  let dir: string;
  const week = ['--from', '2025-03-01', '--to', '2025-03-08'];

  beforeAll(async () => {
    root = await tempDir('gantry-cli-metrics-');
    dir = join(root.path, 'sandbox');
    expect((await gantry(['sandbox', 'init', dir, '--yaml'], root.path)).code).toBe(0);
    const store = await seedDeliveryHistory(
      (now) => openStore({ sqlitePath: join(dir, '.gantry', 'gantry.db'), now }),
      { shop: 'app' },
    );
    await store.close();
  }, 60_000);
  afterAll(async () => {
    await root?.remove();
  });

  it('GIVEN the seeded week WHEN asked without a server THEN the table and --json carry the hand-worked figures', async () => {
    const table = await gantry(['metrics', 'app', ...week], dir);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toBe('delivery metrics 2025-03-01 .. 2025-03-08 (7.0 days)');
    // staging: 5 deployments, 0.71 a day, lead 3.5 h / 66 h, 2 of 5 failed, restored in 7.5 h (median)
    expect(lines.find((l) => l.startsWith('app       staging'))?.split(/\s{2,}/)).toEqual([
      'app',
      'staging',
      '5',
      '0.71',
      '3h30m / 2d18h',
      '40% (2/5)',
      '7h30m',
    ]);
    expect(table.stdout).toMatch(/^TOTAL\s+7\s+1\.00\s/m);
    expect(table.stdout).toContain('lead time measured from: first-seen 5');

    const m = json<ApiDeliveryMetrics>(
      await gantry(['metrics', 'app', '--phase', 'production', ...week, '--json'], dir),
    );
    expect(m.phases.map((p) => p.phase)).toEqual(['production']);
    expect(m.total.timeToRestore.medianSeconds).toBe(120 * HOUR);
    expect(m.phases[0]?.series).toHaveLength(7);
  });

  it('GIVEN a period without deployments WHEN asked THEN zeros with the period, exit 0', async () => {
    const r = await gantry(['metrics', '--from', '2020-01-01', '--to', '2020-01-31'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('no deployments in this period');
    expect(r.stdout).toMatch(/^TOTAL\s+0\s+0\.00\s+- \/ -\s+0% \(0\/0\)\s+-$/m);
  });

  it('GIVEN bad flags WHEN asked THEN exit 2 naming the flag, and an unknown pipeline names the known ones', async () => {
    const badFrom = await gantry(['metrics', '--from', 'last-tuesday'], dir);
    expect(badFrom.code).toBe(2);
    expect(badFrom.stderr).toContain('--from');
    const both = await gantry(['metrics', '--from', '2025-03-01', '--since', '7d'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--since');
    const unknown = await gantry(['metrics', 'nope'], dir);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('known: app');
  });

  describe('against a server', () => {
    let s: SandboxServer;
    beforeAll(async () => {
      s = await sandboxServer({ tmp: { path: root.path, remove: async () => {} } as TempDir, listen: true });
    }, 60_000);
    afterAll(async () => {
      await s?.close();
    });

    it('GIVEN GANTRY_SERVER WHEN asked THEN the same answer as without it', async () => {
      const args = ['metrics', 'app', ...week, '--json'];
      const local = await gantry(args, dir);
      const remote = await gantry(args, dir, { GANTRY_SERVER: s.server.url ?? '' });
      expect(remote.code, remote.stderr).toBe(0);
      expect(json(remote)).toEqual(json(local));
      const table = await gantry(['metrics', 'app', ...week], dir, { GANTRY_SERVER: s.server.url ?? '' });
      expect(table.stdout).toBe((await gantry(['metrics', 'app', ...week], dir)).stdout);
    });
  });
});
