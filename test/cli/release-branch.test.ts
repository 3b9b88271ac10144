import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TempDir } from '@gantry/testing';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../server/serve-process.js';
import { serveProcess } from '../server/serve-process.js';
import { gantry, json } from './run-cli.js';

interface Settled {
  readonly kind: string;
  readonly promotion: { readonly state: string; readonly toDigest: string; readonly reason: string };
  readonly artifact?: { readonly id: string; readonly digest?: string };
}

describe('release --branch and --artifact from the artifact reports CI posted to a server', () => {
  let root: TempDir;
  let dir: string;
  let server: ServeProcess;
  let tokens: { ci: string; ops: string };
  const remote = (args: string[]) => gantry(args, root.path, { GANTRY_SERVER: server.url, GANTRY_TOKEN: tokens.ops });

  /** What CI posts after building `digest` from `branch`. */
  const report = async (digest: string, branch: string, commit: string) => {
    const res = await fetch(`${server.url}/api/v1/artifacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.ci}`, 'content-type': 'application/json', 'x-gantry-request': '1' },
      body: JSON.stringify({
        image: 'localhost:5000/app',
        digest,
        source: { repository: 'https://git.example.com/acme/app', commit, branch },
        ci: { runUrl: 'https://ci.example.com/runs/1' },
        steps: [{ name: 'build', status: 'succeeded' }],
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { artifact: { id: string } }).artifact.id;
  };
  const pushed = async () => json<{ digest: string }>(await gantry(['sandbox', 'push', '.', '--json'], dir)).digest;

  beforeAll(async () => {
    root = await tempDir('gantry-release-branch-');
    dir = join(root.path, 'sandbox');
    expect((await gantry(['sandbox', 'init', '--yaml', dir], root.path)).code).toBe(0);
    const token = async (name: string, role: string) =>
      json<{ token: string }>(await gantry(['token', 'create', '--name', name, '--role', role, '--json'], dir)).token;
    tokens = { ci: await token('ci', 'ci'), ops: await token('ops@example.com', 'admin') };
    await appendFile(join(dir, 'gantry.yaml'), 'server:\n  schedules: []\n');
    server = await serveProcess(dir);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await root?.remove();
  });

  it('GIVEN builds reported from main and from a hotfix branch WHEN released by branch THEN the newest build of that branch goes to the phase; by artifact id, that build', async () => {
    const first = await pushed();
    await report(first, 'main', 'a'.repeat(40));
    const hotfix = await pushed();
    const hotfixId = await report(hotfix, 'hotfix/ops-7', 'b'.repeat(40));

    const main = await remote(['release', 'app', 'production', '--branch', 'main', '--wait', '--json']);
    expect(main.code, main.stderr).toBe(0);
    expect(json<Settled>(main)).toMatchObject({
      kind: 'settled',
      promotion: { state: 'succeeded', toDigest: first },
      artifact: { digest: first },
    });

    const byId = await remote(['release', 'app', 'staging', '--artifact', hotfixId, '--wait']);
    expect(byId.code, byId.stderr).toBe(0);
    expect(byId.stdout).toMatch(
      new RegExp(
        `^build: localhost:5000/app@${hotfix} \\(branch hotfix/ops-7, commit b{12}\\), artifact ${hotfixId}\\nreleased app/staging: `,
      ),
    );
  }, 240_000);

  it('GIVEN no build from a branch WHEN released by that branch THEN exit 2 naming the branches that have builds', async () => {
    const r = await remote(['release', 'app', 'production', '--branch', 'feature/nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no build of pipeline app from branch "feature/nope"; branches with builds: ');
    expect(r.stderr).toContain('main');
    expect(r.stderr).toContain('hotfix/ops-7');
  }, 120_000);

  it('GIVEN the server stopped WHEN released by branch locally on its data directory THEN the reports it recorded are read there', async () => {
    await server.stop();
    const r = await gantry(['release', 'app', 'staging', '--branch', 'main', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(json<Settled>(r)).toMatchObject({ kind: 'settled', promotion: { state: 'succeeded' } });
    const none = await gantry(['release', 'app', 'staging', '--branch', 'feature/nope'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('branches with builds: ');
  }, 120_000);
});
