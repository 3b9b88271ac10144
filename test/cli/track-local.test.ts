import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@gantry/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BackgroundCli } from './background-cli.js';
import { gantryInBackground } from './background-cli.js';
import { gantry, json } from './run-cli.js';

/** A smoke test as a command check: exits with SMOKE_EXIT from the environment of whoever runs it. */
const SMOKE = `promotesFrom: oci
        verify:
          checks:
            - kind: command
              name: smoke
              argv: [node, -e, 'process.exit(Number(process.env.SMOKE_EXIT ?? 0))']
              timeout: 30s
`;

describe('gantry track and gantry verify without a server: the data directory store', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;
  const background: BackgroundCli[] = [];

  beforeAll(async () => {
    root = await tempDir('gantry-track-local-');
    dir = join(root.path, 'sandbox');
    expect((await gantry(['sandbox', 'init', '--yaml', dir], root.path)).code).toBe(0);
    // staging is verified by a smoke command; production has no verification
    const file = join(dir, 'gantry.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('promotesFrom: oci\n', SMOKE));
    expect((await gantry(['validate'], dir)).code).toBe(0);
  });
  afterEach(() => {
    for (const b of background.splice(0)) b.kill();
  });
  afterAll(() => root.remove());

  async function promoteStaging() {
    const { digest } = json<{ digest: string }>(await gantry(['sandbox', 'push', '.', '--json'], dir));
    const r = await gantry(['promote', 'app', 'staging', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    return { digest, id: json<{ promotionId: string }>(r).promotionId };
  }

  it('GIVEN track waiting for a production promotion that is not recorded yet WHEN another process promotes it THEN track finds it in the store and exits 0 at pushed (production verifies nothing)', async () => {
    const { digest } = await promoteStaging();
    const t = gantryInBackground(['track', 'app', 'production', '--digest', digest, '--timeout', '1m'], dir);
    background.push(t);
    await t.printed(`waiting for a promotion of app/production to ${digest}`);
    // WHEN
    const promoted = await gantry(['promote', 'app', 'production'], dir);
    expect(promoted.code, promoted.stderr).toBe(0);
    // THEN
    const r = await t.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pushed\s+commit [0-9a-f]{12}/);
    expect(r.stdout).toContain('succeeded: app/production');
    expect(r.stdout).toContain('(pushed; the phase has no verification)');
  });

  it('GIVEN a promotion to staging WHEN gantry verify runs its smoke check here THEN the check and the verdict are printed, exit 0; and track then answers verified at once', async () => {
    const { id } = await promoteStaging();
    const r = await gantry(['verify', id], dir, { SMOKE_EXIT: '0' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/check passed\s+smoke: exited with 0/);
    expect(r.stdout).toMatch(/^verified: app\/staging/m);

    const t = await gantry(['track', id, '--json'], dir);
    expect(t.code, t.stderr).toBe(0);
    const lines = t.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ type: 'check', name: 'smoke', status: 'passed' }));
    expect(lines.at(-1)).toMatchObject({ type: 'result', outcome: 'verified', exitCode: 0 });
  });

  it('GIVEN a verified promotion WHEN gantry verify runs again and the smoke test fails THEN exit 1 with the check that failed, and track reports the newest verdict', async () => {
    const { id } = await promoteStaging();
    expect((await gantry(['verify', id], dir, { SMOKE_EXIT: '0' })).code).toBe(0);
    // WHEN
    const v = await gantry(['verify', id], dir, { SMOKE_EXIT: '3' });
    expect(v.code, v.stdout + v.stderr).toBe(1);
    expect(v.stdout).toMatch(/check failed\s+smoke: exited with 3/);
    expect(v.stderr).toMatch(/^failed: app\/staging .*verification failed \(run \d+\): smoke: exited with 3/m);

    const t = await gantry(['track', id], dir);
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(/verification failed\s+run \d+: smoke: exited with 3/);
  });

  it('GIVEN a phase without verification WHEN verified THEN refused as not verifiable (exit 3), as a server refuses it', async () => {
    const { digest } = await promoteStaging();
    const p = await gantry(['promote', 'app', 'production', '--json'], dir);
    const id = json<{ promotionId: string }>(p).promotionId;
    const r = await gantry(['verify', id], dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[not_verifiable] app/production has no verification');
    expect(digest).toMatch(/^sha256:/);
  });
});
