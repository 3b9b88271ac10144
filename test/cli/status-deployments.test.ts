import { join } from 'node:path';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../server/serve-process.js';
import { serveProcess } from '../server/serve-process.js';
import { gantry, json } from './run-cli.js';

interface PhaseJson {
  phase: string;
  promotionId?: string;
  deployment?: { state: string };
  verification?: { state: string; run: number };
  holds?: Array<{ kind: string; actor: string; reason: string }>;
}
type StatusJson = Array<{ pipeline: string; phases: PhaseJson[] }>;

describe('gantry status: how each current version fares after the push, and what holds automation back', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;
  let server: ServeProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    root = await tempDir('gantry-status-');
    dir = join(root.path, 'sandbox');
    // the TypeScript sandbox: Flux applies staging, Argo CD production; gantry.yaml holds their secrets
    expect((await gantry(['sandbox', 'init', dir], root.path)).code).toBe(0);
    const created = await gantry(['token', 'create', '--name', 'olga', '--role', 'admin', '--json'], dir);
    expect(created.code, created.stderr).toBe(0);
    server = await serveProcess(dir);
    env = { GANTRY_SERVER: server.url, GANTRY_TOKEN: json<{ token: string }>(created).token };
  });
  afterAll(async () => {
    await server.stop();
    await root.remove();
  });

  const remote = (args: string[]) => gantry(args, root.path, env);
  const local = (args: string[]) => gantry(args, dir);
  const phaseOf = (s: StatusJson, phase: string) => s[0]?.phases.find((p) => p.phase === phase);

  it('GIVEN staging deployed and verified and production promoted but not yet deployed WHEN status runs remotely and locally THEN both show each deployment and verification, in the table and in --json', async () => {
    expect((await gantry(['sandbox', 'push', '.'], dir)).code).toBe(0);
    const staged = await remote(['promote', 'app', 'staging', '--wait', '--json']);
    expect(staged.code, staged.stderr).toBe(0);
    const stagingId = json<{ id: string }>(staged).id;
    // Flux reports it applied and healthy: staging verifies
    const deployed = await gantry(['sandbox', 'deploy', '.', 'staging'], dir, env);
    expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
    const tracked = await remote(['track', stagingId, '--timeout', '2m']);
    expect(tracked.code, tracked.stdout + tracked.stderr).toBe(0);
    const prod = await remote(['promote', 'app', 'production', '--wait', '--json']);
    expect(prod.code, prod.stderr).toBe(0);
    const prodId = json<{ id: string }>(prod).id;

    for (const [mode, run] of [
      ['remote', remote],
      ['local', local],
    ] as const) {
      const s = json<StatusJson>(await run(['status', 'app', '--json']));
      expect(phaseOf(s, 'staging'), mode).toMatchObject({
        promotionId: stagingId,
        deployment: { state: 'healthy' },
        verification: { state: 'verified', run: 1 },
        holds: [],
      });
      expect(phaseOf(s, 'production'), mode).toMatchObject({
        promotionId: prodId,
        deployment: { state: 'pending' },
        verification: { state: 'pending', run: 0 },
      });
      // a registry phase came through no promotion
      expect(phaseOf(s, 'oci')?.deployment, mode).toBeUndefined();

      const table = await run(['status', 'app']);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout, mode).toMatch(/^PIPELINE\s+PHASE\s+VERSION\s+COMMIT\s+AGE\s+STATE$/m);
      expect(table.stdout, mode).toMatch(/^app\s+staging\s+.*\s+in sync, deployment healthy, verified$/m);
      expect(table.stdout, mode).toMatch(
        /^app\s+production\s+.*\s+in sync, deployment pending, verification pending$/m,
      );
    }
  });

  it('GIVEN production pinned and the pipeline paused WHEN status runs remotely and locally THEN the rows say who holds them and why, --json lists them per phase', async () => {
    expect((await remote(['pin', 'app', 'production', '--reason', 'customer demo today'])).code).toBe(0);
    expect((await remote(['pause', 'app', '--reason', 'registry migration'])).code).toBe(0);
    try {
      for (const [mode, run] of [
        ['remote', remote],
        ['local', local],
      ] as const) {
        const table = (await run(['status', 'app'])).stdout;
        expect(table, mode).toMatch(
          /^app\s+production\s+.*pinned by olga \(customer demo today\), pipeline paused by olga \(registry migration\)$/m,
        );
        expect(table, mode).toMatch(/^app\s+staging\s+.*pipeline paused by olga \(registry migration\)$/m);
        expect(table, mode).toMatch(/^app\s+oci\s+.*\s+source$/m);
        const s = json<StatusJson>(await run(['status', 'app', '--json']));
        expect(phaseOf(s, 'production')?.holds, mode).toEqual([
          expect.objectContaining({ kind: 'pin', actor: 'olga', reason: 'customer demo today' }),
          expect.objectContaining({ kind: 'pause', actor: 'olga', reason: 'registry migration' }),
        ]);
      }
    } finally {
      await remote(['unpin', 'app', 'production']);
      await remote(['resume', 'app']);
    }
    expect((await local(['status', 'app'])).stdout).not.toMatch(/pinned|paused/);
  });
});
