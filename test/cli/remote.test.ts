import { execFileSync } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PipelineStatus } from '@gantry/core';
import { freePort, tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../server/serve-process.js';
import { serveProcess } from '../server/serve-process.js';
import type { CliResult } from './run-cli.js';
import { gantry, json } from './run-cli.js';

describe('remote mode: the same commands against gantry serve', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;
  let server: ServeProcess;
  let token: string;

  beforeAll(async () => {
    root = await tempDir('gantry-remote-');
    dir = join(root.path, 'sandbox');
    expect((await gantry(['sandbox', 'init', '--yaml', dir], root.path)).code).toBe(0);
    const created = await gantry(['token', 'create', '--name', 'ci', '--role', 'promoter', '--json'], dir);
    expect(created.code, created.stderr).toBe(0);
    token = json<{ token: string }>(created).token;
    // no schedules: the server looks at sources only when asked, so what it last saw is predictable
    await appendFile(join(dir, 'gantry.yaml'), 'server:\n  schedules: []\n');
    server = await serveProcess(dir);
  });
  afterAll(async () => {
    await server.stop();
    await root.remove();
  });

  // null: no token at all (undefined would take the default)
  const remote = (args: string[], t: string | null = token) =>
    gantry(args, root.path, { GANTRY_SERVER: server.url, ...(t ? { GANTRY_TOKEN: t } : {}) });

  it('GIVEN a server with tokens WHEN status runs remotely without one THEN exit 2 and the reason', async () => {
    const r = await remote(['status'], null);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[unauthorized]');
  });

  it('GIVEN a token WHEN status runs remotely THEN the same table as local mode', async () => {
    const local = await gantry(['status', '--json'], dir);
    const far = await remote(['status', '--json']);
    expect(far.code, far.stderr).toBe(0);
    const strip = (s: PipelineStatus[]) => s.map((p) => p.phases.map((ph) => [ph.phase, ph.state, ph.version]));
    expect(strip(json<PipelineStatus[]>(far))).toEqual(strip(json<PipelineStatus[]>(local)));
    expect((await remote(['status'])).stdout).toMatch(/^PIPELINE\s+PHASE\s+VERSION\s+COMMIT\s+AGE\s+STATE/);
  });

  it('GIVEN an image pushed since the server last looked WHEN status runs remotely THEN it reads now, as local mode does; --cached does not', async () => {
    expect((await gantry(['sandbox', 'push', '.'], dir)).code).toBe(0);
    const oci = (r: CliResult) => json<PipelineStatus[]>(r)[0]?.phases.find((p) => p.phase === 'oci')?.digest;
    const local = oci(await gantry(['status', '--json'], dir));
    expect(oci(await remote(['status', 'app', '--json', '--cached']))).not.toBe(local);
    expect(oci(await remote(['status', 'app', '--json']))).toBe(local);
    expect(oci(await remote(['status', '--json', '--cached']))).toBe(local);
  });

  it('GIVEN a new image WHEN promote --wait runs remotely THEN it follows the promotion to its commit', async () => {
    expect((await gantry(['sandbox', 'push', '.'], dir)).code).toBe(0);
    const r = await remote(['promote', 'app', 'staging', '--wait']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/promoted app\/staging: .* -> app:latest@[0-9a-f]{12}/);
    const sha = /commit ([0-9a-f]{12})/.exec(r.stdout)?.[1];
    expect(execFileSync('git', ['rev-parse', 'main'], { cwd: join(dir, 'config.git'), encoding: 'utf8' })).toContain(
      sha,
    );

    const h = await remote(['history', 'app', 'staging', '--json']);
    const page = json<{ items: Array<{ state: string; trigger: { kind: string; actor?: string } }> }>(h);
    expect(page.items[0]).toMatchObject({ state: 'succeeded', trigger: { kind: 'person', actor: 'ci' } });
  });

  it('GIVEN an unknown pipeline WHEN promoted remotely THEN exit 2 with the known names, as locally', async () => {
    const r = await remote(['promote', 'nope', 'staging']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown pipeline "nope"; known: app');
  });
});

describe('remote mode exit codes match local mode', () => {
  it('GIVEN a read-only phase and a registry that is down WHEN promote and status run remotely THEN exit 2 and 1, as locally', async () => {
    await using root = await tempDir('gantry-remote-exit-');
    const dir = join(root.path, 'sandbox');
    expect((await gantry(['sandbox', 'init', '--yaml', dir], root.path)).code).toBe(0);
    const port = await freePort();
    const good = await readFile(join(dir, 'gantry.yaml'), 'utf8');
    const down = [
      '  - name: other',
      '    resource: oci-image',
      '    phases:',
      '      - name: oci',
      '        source: { type: oci, registry: down, repository: other, select: { by: tag, tag: latest } }',
      'server:',
      '  schedules: []',
    ].join('\n');
    const withDown = good.replace('registries:\n', `registries:\n  down:\n    url: http://127.0.0.1:${port}\n`);
    await writeFile(join(dir, 'gantry.yaml'), `${withDown}${down}\n`);
    const server = await serveProcess(dir);
    try {
      const remote = (args: string[]) => gantry(args, root.path, { GANTRY_SERVER: server.url });
      const promote = await remote(['promote', 'app', 'oci']);
      expect(promote.code, promote.stderr).toBe(2);
      expect(promote.stderr).toContain('phase_not_writable');
      const status = await remote(['status', '--json']);
      expect(status.code, status.stderr).toBe(1);
      const other = json<PipelineStatus[]>(status).find((p) => p.pipeline === 'other');
      expect(other?.phases[0]?.state).toBe('error');
      expect((await remote(['status', 'app'])).code).toBe(0);
    } finally {
      await server.stop();
    }
  });
});

describe('gantry serve with an unreachable database', () => {
  it('GIVEN GANTRY_DATABASE_URL to a closed port WHEN serve starts THEN it exits non-zero naming the URL, password masked', async () => {
    await using root = await tempDir('gantry-nodb-');
    const dir = join(root.path, 'sandbox');
    expect((await gantry(['sandbox', 'init', '--yaml', dir], root.path)).code).toBe(0);
    const r = await gantry(['serve', '--port', '0'], dir, {
      GANTRY_DATABASE_URL: 'postgres://gantry:s3cret@127.0.0.1:1/gantry',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[store_unreachable]');
    expect(r.stderr).toContain('127.0.0.1:1');
    expect(r.stderr).not.toContain('s3cret');
  });
});
