import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiChain } from '@gantry/api';
import type { TempDir } from '@gantry/testing';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../server/serve-process.js';
import { serveProcess } from '../server/serve-process.js';
import { gantry, json } from './run-cli.js';

const SOURCE_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

/** A YAML sandbox whose config repository and registry name their web pages. */
async function linkedSandbox(root: string): Promise<string> {
  const dir = join(root, 'sandbox');
  expect((await gantry(['sandbox', 'init', '--yaml', dir], root)).code).toBe(0);
  const file = join(dir, 'gantry.yaml');
  const yaml = (await readFile(file, 'utf8'))
    .replace(
      '    url: ./config.git\n',
      '    url: ./config.git\n    links: { commit: "https://git.example.com/config/commit/{sha}" }\n',
    )
    .replace(
      '    host: localhost:5000\n',
      '    host: localhost:5000\n    links: { image: "https://registry.example.com/{repository}@{digest}" }\n',
    );
  await writeFile(file, yaml);
  await appendFile(file, 'server:\n  schedules: []\n');
  return dir;
}

describe('gantry chain, locally and against gantry serve', () => {
  let root: TempDir;
  let dir: string;
  let server: ServeProcess;
  const tokens: Record<string, string> = {};
  let first: { digest: string; commit: string; id: string };
  let second: { digest: string; commit: string };
  const remote = (args: string[], who = 'grace') =>
    gantry(args, root.path, { GANTRY_SERVER: server.url, GANTRY_TOKEN: tokens[who] as string });
  const here = (args: string[]) => gantry(args, dir);

  /** A new image, reported by CI when `report` says so, promoted to staging through the server. */
  async function build(report: boolean, reason: string) {
    const { digest } = json<{ digest: string }>(await gantry(['sandbox', 'push', '.', '--json'], dir));
    if (report) {
      const r = await remote(
        [
          'artifact',
          'report',
          '--image',
          'localhost:5000/app',
          '--digest',
          digest,
          '--repository',
          'https://github.com/acme/app',
          '--commit',
          SOURCE_SHA,
          '--branch',
          'main',
          '--author',
          'Ann Example <ann@example.com>',
          '--message',
          'Fix checkout rounding',
          '--time',
          '2026-03-01T09:00:00Z',
          '--run-url',
          'https://github.com/acme/app/actions/runs/42',
          '--provider',
          'github-actions',
          '--step',
          'build=succeeded:1m1s',
          '--step',
          'test=succeeded:30s',
        ],
        'ci',
      );
      expect(r.code, r.stderr).toBe(0);
    }
    const promoted = await remote(['promote', 'app', 'staging', '--reason', reason, '--wait', '--json']);
    expect(promoted.code, promoted.stderr).toBe(0);
    const p = json<{ id: string; commitSha: string; toDigest: string }>(promoted);
    expect(p.toDigest).toBe(digest);
    return { digest, commit: p.commitSha, id: p.id };
  }

  beforeAll(async () => {
    root = await tempDir('gantry-cli-chain-');
    dir = await linkedSandbox(root.path);
    for (const [name, role] of [
      ['grace', 'admin'],
      ['ci', 'ci'],
    ] as const) {
      const r = await gantry(['token', 'create', '--name', name, '--role', role, '--json'], dir);
      expect(r.code, r.stderr).toBe(0);
      tokens[name] = json<{ token: string }>(r).token;
    }
    server = await serveProcess(dir);
    first = await build(true, 'ship the rounding fix');
    second = await build(false, 'next one');
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    await root?.remove();
  }, 60_000);

  it('GIVEN a reported build and a newer one in staging WHEN chain runs in both modes THEN the same links, as text and as JSON', async () => {
    const r = await remote(['chain', 'app', 'staging', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const l = await here(['chain', 'app', 'staging', '--json']);
    expect(l.code, l.stderr).toBe(0);
    const chain = json<ApiChain>(r);
    expect(json<ApiChain>(l)).toEqual(chain);

    // the newer build: no CI report, so the source and CI are unknown; image and config commit are linked
    expect(chain).toMatchObject({ pipeline: 'app', phase: 'staging', digest: second.digest, current: true });
    expect(chain.chain.map((x) => x.kind)).toEqual([
      'source',
      'ci',
      'image',
      'config',
      'applied',
      'healthy',
      'verified',
    ]);
    expect(chain.chain.find((x) => x.kind === 'config')).toMatchObject({
      state: 'done',
      sha: second.commit,
      by: 'grace',
      reason: 'next one',
      url: `https://git.example.com/config/commit/${second.commit}`,
    });
    expect(chain.links).toEqual({
      image: `https://registry.example.com/app@${second.digest}`,
      configCommit: `https://git.example.com/config/commit/${second.commit}`,
    });

    const text = await remote(['chain', 'app', 'staging']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe((await here(['chain', 'app', 'staging'])).stdout);
    expect(text.stdout.split('\n')[0]).toMatch(/^app\/staging {2}\S+ {2}\(current\)$/);
    expect(text.stdout).toMatch(/ ✓ config {3}.*\[grace · \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\]\n/);
    expect(text.stdout).toContain(`      https://git.example.com/config/commit/${second.commit}\n`);
  }, 120_000);

  it('GIVEN the older, reported build WHEN chain --digest runs in both modes THEN every link of its report, the same in both', async () => {
    const args = ['chain', 'app', 'staging', '--digest', first.digest, '--json'];
    const r = await remote(args);
    expect(r.code, r.stderr).toBe(0);
    const chain = json<ApiChain>(r);
    expect(json<ApiChain>(await here(args))).toEqual(chain);
    expect(chain).toMatchObject({ digest: first.digest, current: false, promotionId: first.id });
    expect(chain.chain.slice(0, 4).map((x) => [x.kind, x.state])).toEqual([
      ['source', 'done'],
      ['ci', 'done'],
      ['image', 'done'],
      ['config', 'done'],
    ]);
    expect(chain.chain[0]).toMatchObject({ sha: SOURCE_SHA, by: 'Ann Example', branch: 'main', from: 'report' });
    const ci = chain.chain[1];
    expect(ci?.kind === 'ci' && ci.steps.map((s) => [s.name, s.status, s.durationMs])).toEqual([
      ['build', 'succeeded', 61_000],
      ['test', 'succeeded', 30_000],
    ]);
    expect(chain.links).toEqual({
      sourceCommit: `https://github.com/acme/app/commit/${SOURCE_SHA}`,
      ciRun: 'https://github.com/acme/app/actions/runs/42',
      image: `https://registry.example.com/app@${first.digest}`,
      configCommit: `https://git.example.com/config/commit/${first.commit}`,
    });

    // by version: the version name the history shows, the same chain
    const version = chain.version;
    const byVersion = await remote(['chain', 'app', 'staging', '--version', version, '--json']);
    expect(byVersion.code, byVersion.stderr).toBe(0);
    expect(json<ApiChain>(byVersion).digest).toBe(first.digest);
    expect(json<ApiChain>(await here(['chain', 'app', 'staging', '--version', version, '--json'])).digest).toBe(
      first.digest,
    );

    const text = await here(['chain', 'app', 'staging', '--digest', first.digest]);
    expect(text.stdout).toBe((await remote(['chain', 'app', 'staging', '--digest', first.digest])).stdout);
    expect(text.stdout).toContain('      - build: succeeded (61s)\n');
    expect(text.stdout).toContain(`      https://github.com/acme/app/commit/${SOURCE_SHA}\n`);
    expect(text.stdout).not.toContain('(current)');
  }, 120_000);

  it('GIVEN names that are wrong WHEN chain runs THEN exit 2 in both modes, naming why', async () => {
    for (const run of [remote, here]) {
      const both = await run(['chain', 'app', 'staging', '--version', 'x', '--digest', first.digest]);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('give --version or --digest, not both');
      const unknown = await run(['chain', 'app', 'staging', '--digest', `sha256:${'9'.repeat(64)}`]);
      expect(unknown.code, unknown.stderr).toBe(2);
      expect(unknown.stderr).toContain('[not_found]');
      const phase = await run(['chain', 'app', 'nowhere']);
      expect(phase.code).toBe(2);
    }
  }, 120_000);
});
