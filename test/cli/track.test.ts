import { join } from 'node:path';
import { tempDir } from '@gantry/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../server/serve-process.js';
import { serveProcess } from '../server/serve-process.js';
import type { BackgroundCli } from './background-cli.js';
import { gantryInBackground } from './background-cli.js';
import { gantry, json } from './run-cli.js';

/** Where each line of `text` mentioning one of `words` is, in their order; -1 when missing. */
const linesOf = (text: string, words: string[]) => {
  const lines = text.split('\n');
  return words.map((w) => lines.findIndex((l) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\s+${w}\\b`).test(l)));
};

const increasing = (xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > (xs[i - 1] ?? -1)));

describe('gantry track and gantry verify against gantry serve, the sandbox playing Flux and Argo CD', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;
  let server: ServeProcess;
  let env: NodeJS.ProcessEnv;
  const background: BackgroundCli[] = [];

  beforeAll(async () => {
    root = await tempDir('gantry-track-');
    dir = join(root.path, 'sandbox');
    // the TypeScript sandbox: Flux applies staging, Argo CD production; gantry.yaml holds their secrets
    expect((await gantry(['sandbox', 'init', dir], root.path)).code).toBe(0);
    const created = await gantry(['token', 'create', '--name', 'ci', '--role', 'promoter', '--json'], dir);
    expect(created.code, created.stderr).toBe(0);
    server = await serveProcess(dir);
    // what a CI job has: the server and a token, from its secrets
    env = { GANTRY_SERVER: server.url, GANTRY_TOKEN: json<{ token: string }>(created).token };
  });
  afterEach(() => {
    for (const b of background.splice(0)) b.kill();
  });
  afterAll(async () => {
    await server.stop();
    await root.remove();
  });

  const remote = (args: string[]) => gantry(args, root.path, env);
  const track = (args: string[]) => {
    const b = gantryInBackground(['track', ...args], root.path, env);
    background.push(b);
    return b;
  };
  /** CI built a new image and promoted it: the promotion as `promote --wait --json` printed it. */
  async function promoted(phase: 'staging' | 'production') {
    const pushed = await gantry(['sandbox', 'push', '.', '--json'], dir);
    const { digest } = json<{ digest: string }>(pushed);
    if (phase === 'production') expect((await remote(['promote', 'app', 'staging', '--wait'])).code).toBe(0);
    const r = await remote(['promote', 'app', phase, '--wait', '--json']);
    expect(r.code, r.stderr).toBe(0);
    return { digest, ...json<{ id: string; commitSha: string }>(r) };
  }
  const deploy = async (phase: string, ...flags: string[]) => {
    const r = await gantry(['sandbox', 'deploy', '.', phase, ...flags], dir, env);
    expect(r.code, r.stderr).toBe(0);
    return r;
  };

  it('GIVEN a promotion to staging and track waiting on it WHEN Flux reports the commit applied and healthy THEN track prints each state in order and exits 0 verified', async () => {
    const p = await promoted('staging');
    const t = track(['app', 'staging', '--digest', p.digest]);
    await t.printed('succeeded');
    // WHEN the sandbox sends what Flux's notification-controller sends, signed
    const sent = await deploy('staging');
    expect(sent.stdout).toContain('flux-kustomization flux-system/app-staging');
    expect(sent.stdout).toMatch(/Progressing\s+-> applied/);
    expect(sent.stdout).toMatch(/ReconciliationSucceeded\s+-> healthy/);
    // THEN
    const r = await t.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`promotion ${p.id}: app/staging`);
    const at = linesOf(r.stdout, [
      'queued',
      'running',
      'pushed',
      'succeeded',
      'applied',
      'healthy',
      'verifying',
      'verified',
    ]);
    expect(increasing(at), r.stdout).toBe(true);
    expect(r.stdout).toMatch(/pushed\s+commit [0-9a-f]{12}/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^verified: app\/staging app:latest@[0-9a-f]{12}$/);
  });

  it('GIVEN CI tracking the image it built before any promotion of it exists WHEN it is promoted and Flux reports THEN track waits for it, follows it, and exits 0 verified', async () => {
    const { digest } = json<{ digest: string }>(await gantry(['sandbox', 'push', '.', '--json'], dir));
    const t = track(['app', 'staging', '--digest', digest]);
    await t.printed(`waiting for a promotion of app/staging to ${digest}`);
    expect((await remote(['promote', 'app', 'staging'])).code).toBe(0);
    await t.printed('succeeded');
    await deploy('staging');
    const r = await t.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(increasing(linesOf(r.stdout, ['succeeded', 'healthy', 'verified']))).toBe(true);
  });

  it('GIVEN track waiting on a promotion WHEN Flux reports its health check failed THEN track exits 1 with the reason', async () => {
    const p = await promoted('staging');
    const t = track([p.id]);
    await t.printed('succeeded');
    await deploy('staging', '--fail');
    const r = await t.done;
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(increasing(linesOf(r.stdout, ['succeeded', 'applied', 'degraded']))).toBe(true);
    expect(r.stdout).not.toMatch(/^\S+\s+verified/m);
    expect(r.stderr).toMatch(/^failed: app\/staging .*the deployer reported degraded: health check failed/m);
  });

  it('GIVEN track --json on a production promotion WHEN Argo CD reports it synced and healthy THEN every line is one JSON object and the last says verified', async () => {
    const p = await promoted('production');
    const t = track([p.id, '--json']);
    await t.printed('"state":"succeeded"');
    const sent = await deploy('production');
    expect(sent.stdout).toContain('argocd-application argocd/app-production');
    const r = await t.done;
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const objects = lines.map((l) => JSON.parse(l) as { type: string; state?: string; promotion?: string });
    expect(objects.every((o) => o.promotion === p.id)).toBe(true);
    expect(objects.map((o) => `${o.type} ${o.state ?? ''}`.trim())).toEqual([
      'promotion queued',
      'promotion running',
      'promotion committed',
      'promotion pushed',
      'promotion succeeded',
      'deployment healthy',
      'verification running',
      'verification verified',
      'result',
    ]);
    expect(objects.at(-1)).toMatchObject({ type: 'result', outcome: 'verified', exitCode: 0, phase: 'production' });
  });

  it('GIVEN a failing twin in --json WHEN Argo CD reports the health degraded THEN the lines parse and the result is failed, exit 1', async () => {
    const p = await promoted('production');
    const t = track(['app', 'production', '--commit', p.commitSha.slice(0, 10), '--json']);
    await t.printed('"state":"succeeded"');
    await deploy('production', '--fail');
    const r = await t.done;
    expect(r.code, r.stderr).toBe(1);
    const objects = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects).toContainEqual(
      expect.objectContaining({ type: 'deployment', state: 'degraded', deployer: 'argocd' }),
    );
    expect(objects.at(-1)).toMatchObject({ type: 'result', outcome: 'failed', exitCode: 1, promotion: p.id });
  });

  it('GIVEN nobody reports WHEN track runs with --timeout 1s THEN it exits 2, saying where the promotion stands', async () => {
    const p = await promoted('staging');
    const r = await remote(['track', p.id, '--timeout', '1s']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/succeeded/);
    expect(r.stderr).toContain('timed out after 1s without a verdict: app/staging app:latest@');
    expect(r.stderr).toMatch(/is succeeded$/m);
    const j = await remote(['track', p.id, '--timeout', '1s', '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout.trimEnd().split('\n').at(-1) ?? '')).toMatchObject({ outcome: 'timeout', exitCode: 2 });
  });

  it('GIVEN a verified promotion WHEN gantry verify runs it again THEN run 2 is followed to verified, exit 0', async () => {
    const p = await promoted('staging');
    // before Flux reported it healthy there is nothing to verify yet: refused, exit 3
    const early = await remote(['verify', p.id]);
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('[not_verifiable]');
    await deploy('staging');
    expect((await remote(['track', p.id])).code).toBe(0);
    const r = await remote(['verify', p.id]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(increasing(linesOf(r.stdout, ['verifying', 'verified']))).toBe(true);
    expect(r.stdout).toMatch(/verified\s+run 2/);
    expect(r.stdout).not.toMatch(/run 1/);
  });

  it('GIVEN staging applied by Flux WHEN the sandbox speaks as Argo CD THEN the server records the event as unmatched and settles nothing', async () => {
    await promoted('staging');
    const r = await deploy('staging', '--argocd', '--json');
    const sent = json<{ deployer: string; object: string; events: Array<{ status: number; response: unknown }> }>(r);
    expect(sent).toMatchObject({ deployer: 'argocd', object: 'argocd-application argocd/app-staging' });
    expect(sent.events).toEqual([
      { reason: 'on-deployed', status: 202, response: expect.objectContaining({ matched: [], settled: [] }) },
    ]);
  });

  it('GIVEN bad input WHEN tracked THEN exit 2 naming what is wrong', async () => {
    const unknown = await remote(['track', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('[unknown_promotion]');
    const digest = await remote(['track', 'app', 'staging', '--digest', 'latest']);
    expect(digest.code).toBe(2);
    expect(digest.stderr).toContain('--digest "latest": give 7 or more hex characters');
    const timeout = await remote(['track', 'app', 'staging', '--timeout', 'soon']);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain('--timeout "soon"');
    const phase = await remote(['track', 'app', 'qa', '--json', '--timeout', '1s']);
    expect(phase.code).toBe(2);
    expect(JSON.parse(phase.stdout)).toMatchObject({ type: 'error', error: { code: 'unknown_phase' } });
  });
});
