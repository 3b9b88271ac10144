import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PipelineStatus } from '@gantry/core';
import { freePort, tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, json } from './run-cli.js';

describe('bad input through the real gantry command', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;

  beforeAll(async () => {
    root = await tempDir('gantry-cli-errors-');
    dir = join(root.path, 'sandbox');
    const init = await gantry(['sandbox', 'init', '--yaml', dir], root.path);
    expect(init.code, init.stderr).toBe(0);
  });
  afterAll(() => root.remove());

  it('GIVEN the YAML sandbox WHEN status THEN the same pipeline as code, in sync', async () => {
    const s = json<PipelineStatus[]>(await gantry(['status', '--json'], dir));
    expect(s.map((p) => p.pipeline)).toEqual(['app']);
    expect(s[0]?.phases.map((p) => [p.phase, p.state])).toEqual([
      ['oci', 'source'],
      ['staging', 'in-sync'],
      ['production', 'in-sync'],
    ]);
  });

  it('GIVEN a malformed gantry.yaml WHEN any command runs THEN exit 2 naming file, line and field, nothing written', async () => {
    const file = join(dir, 'broken.yaml');
    const good = await readFile(join(dir, 'gantry.yaml'), 'utf8');
    await writeFile(file, good.replace('container: app,', 'contaner: app,'));
    const r = await gantry(['--config', file, 'status'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const line = good.split('\n').findIndex((l) => l.includes('contaner')) + 1;
    expect(r.stderr).toMatch(
      new RegExp(`broken\\.yaml:${line || '\\d+'}:\\d+ \\[pipelines\\[0\\]\\.phases\\[1\\]\\.source\\.updater`),
    );
  });

  it('GIVEN a phase promoting from an unknown phase WHEN validated THEN the known names and line are given', async () => {
    const file = join(dir, 'unknown-upstream.yaml');
    const good = await readFile(join(dir, 'gantry.yaml'), 'utf8');
    await writeFile(file, good.replace('promotesFrom: staging', 'promotesFrom: stagin'));
    const r = await gantry(['--config', file, 'validate'], dir);
    expect(r.code).toBe(2);
    const line = good.split('\n').findIndex((l) => l.includes('promotesFrom: staging')) + 1;
    expect(r.stderr).toContain(`unknown-upstream.yaml:${line}:`);
    expect(r.stderr).toContain('unknown phase "stagin"; known: oci, staging, production');
  });

  it('GIVEN one pipeline whose registry is down WHEN status THEN that phase shows the error, the others still report, exit 1', async () => {
    const port = await freePort();
    const file = join(dir, 'two.yaml');
    const good = await readFile(join(dir, 'gantry.yaml'), 'utf8');
    const down = [`  down:`, `    url: http://127.0.0.1:${port}`].join('\n');
    const extra = [
      '  - name: other',
      '    resource: oci-image',
      '    phases:',
      '      - name: oci',
      '        source: { type: oci, registry: down, repository: other, select: { by: tag, tag: latest } }',
    ].join('\n');
    await writeFile(file, `${good.replace('registries:\n', `registries:\n${down}\n`)}${extra}\n`);
    const r = await gantry(['--config', file, 'status', '--json'], dir);
    // docs/cli.md: 1 when a remote failed (registry down); the JSON still has every phase
    expect(r.code, r.stderr).toBe(1);
    const s = json<PipelineStatus[]>(r);
    const other = s.find((p) => p.pipeline === 'other')?.phases[0];
    expect(other?.state).toBe('error');
    expect(other?.error?.code).toBe('registry_unreachable');
    expect(other?.error?.message).toContain(`127.0.0.1:${port}`);
    expect(s.find((p) => p.pipeline === 'app')?.phases.map((p) => p.state)).toEqual(['source', 'in-sync', 'in-sync']);

    const table = await gantry(['--config', file, 'status'], dir);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/other\s+oci\s+.*error: /);
    expect(table.stderr).toContain('could not read other/oci');
  });

  it('GIVEN every registry and repository up WHEN status THEN exit 0', async () => {
    const r = await gantry(['status'], dir);
    expect(r.code, r.stderr).toBe(0);
  });

  it('GIVEN a phase whose source is read-only WHEN promoted into THEN exit 2 (an invalid request), nothing written', async () => {
    const tip = () => execFileSync('git', ['rev-parse', 'main'], { cwd: join(dir, 'config.git'), encoding: 'utf8' });
    const before = tip();
    const r = await gantry(['promote', 'app', 'oci'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[phase_not_writable] phase "app/oci" has a read-only source');
    const j = await gantry(['promote', 'app', 'oci', '--json'], dir);
    expect(j.code).toBe(2);
    expect(json<{ error: { code: string } }>(j).error.code).toBe('phase_not_writable');
    expect(tip()).toBe(before);
  });
});
