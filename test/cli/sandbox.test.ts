import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { PipelineStatus, PromotionPlan } from '@gantry/core';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, json } from './run-cli.js';

const gitIn = (repo: string, args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
const phaseOf = (s: PipelineStatus[], name: string) => s[0]?.phases.find((p) => p.phase === name);

describe('the sandbox, through the real gantry command', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;
  let bare: string;

  beforeAll(async () => {
    root = await tempDir('gantry-cli-');
    dir = join(root.path, 'sandbox');
    bare = join(dir, 'config.git');
    const init = await gantry(['sandbox', 'init', dir], root.path);
    expect(init.code, init.stderr).toBe(0);
  });
  afterAll(() => root.remove());

  it('GIVEN a fresh sandbox WHEN validated THEN one pipeline of three phases is valid', async () => {
    const r = await gantry(['validate', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ pipelines: Array<{ name: string; phases: unknown[] }> }>(r).pipelines).toMatchObject([
      { name: 'app', phases: [{}, {}, {}] },
    ]);
  });

  it('GIVEN a fresh sandbox WHEN status THEN every phase holds the first image and is in sync', async () => {
    const s = json<PipelineStatus[]>(await gantry(['status', '--json'], dir));
    expect(s[0]?.phases.map((p) => [p.phase, p.state])).toEqual([
      ['oci', 'source'],
      ['staging', 'in-sync'],
      ['production', 'in-sync'],
    ]);
    expect(phaseOf(s, 'staging')?.setBy?.id).toMatch(/^[0-9a-f]{40}$/);
  });

  it('GIVEN a new image WHEN diffed and promoted THEN the commit changes exactly the digest lines, with trailers', async () => {
    const pushed = await gantry(['sandbox', 'push', '.', '--json'], dir);
    const { digest } = json<{ digest: string }>(pushed);
    const before = json<PipelineStatus[]>(await gantry(['status', '--json'], dir));
    expect(phaseOf(before, 'staging')?.state).toBe('behind');

    const plan = json<PromotionPlan>(await gantry(['diff', 'app', 'staging', '--json'], dir));
    expect(plan.kind).toBe('promote');
    const changed = plan.kind === 'promote' ? plan.diff.split('\n').filter((l) => /^[-+][^-+]/.test(l)) : [];
    expect(changed).toHaveLength(4);
    expect(changed.filter((l) => l.startsWith('+')).every((l) => l.includes(digest))).toBe(true);

    const promoted = await gantry(['promote', 'app', 'staging'], dir);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stdout).toContain('promoted app/staging');

    const show = gitIn(bare, ['log', '-1', '--format=%B', 'main']);
    expect(show).toMatch(/^Gantry-Pipeline: app$/m);
    expect(show).toMatch(/^Gantry-Phase: staging$/m);
    expect(show).toContain(`Gantry-Digest: ${digest}`);
    expect(show).toMatch(/^Gantry-Promotion-Id: [0-9a-f-]{36}$/m);
    const patch = gitIn(bare, ['show', '--format=', '-U0', 'main']);
    expect(patch.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual(changed);
    expect(gitIn(bare, ['show', '--stat', '--format=', 'main'])).toContain('env/staging/deployment.yaml');
  });

  it('GIVEN staging promoted WHEN production is promoted THEN it copies staging, and a second promotion is a no-op', async () => {
    const r = await gantry(['promote', 'app', 'production', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ kind: string }>(r).kind).toBe('promoted');
    const tip = gitIn(bare, ['rev-parse', 'main']);
    expect(gitIn(bare, ['log', '-1', '--format=%s', 'main']).trim()).toMatch(
      /^release app(:latest)?@[0-9a-f]{12} to production$/,
    );

    const again = await gantry(['promote', 'app', 'production', '--json'], dir);
    expect(json<{ kind: string }>(again).kind).toBe('in-sync');
    expect(gitIn(bare, ['rev-parse', 'main'])).toBe(tip);
    const s = json<PipelineStatus[]>(await gantry(['status', '--json'], dir));
    expect(s[0]?.phases.map((p) => p.state)).toEqual(['source', 'in-sync', 'in-sync']);
  });

  it('GIVEN an unknown pipeline or phase WHEN promoted THEN exit 2 and the known names are listed', async () => {
    const p = await gantry(['promote', 'nope', 'staging'], dir);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('unknown pipeline "nope"; known: app');
    const ph = await gantry(['diff', 'app', 'qa'], dir);
    expect(ph.code).toBe(2);
    expect(ph.stderr).toContain('unknown phase "qa"; known: oci, staging, production');
  });

  it('GIVEN the source phase WHEN promoted THEN it is refused as read-only', async () => {
    const r = await gantry(['promote', 'app', 'oci'], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('read-only');
  });
});
