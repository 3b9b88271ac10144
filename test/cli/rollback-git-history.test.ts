import { execFileSync } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TempDir } from '@gantry/testing';
import { runGit, tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../server/serve-process.js';
import { serveProcess } from '../server/serve-process.js';
import { gantry, json } from './run-cli.js';

const FILE = 'env/production/deployment.yaml';
const short = (digest: string) => digest.slice(7, 19);

/** A person's commit straight into the config repository: production's file with `from` replaced by `to`. */
async function handCommit(bare: string, from: string, to: string): Promise<string> {
  const parent = (await runGit(['rev-parse', 'refs/heads/main'], bare)).trim();
  const before = await runGit(['show', `${parent}:${FILE}`], bare);
  const text = before.replaceAll(from, to);
  expect(text).not.toBe(before);
  const now = Math.floor(Date.now() / 1000);
  const message = 'hand edit: production back to the build QA signed off';
  const stream = `commit refs/heads/main\nauthor Linus <linus@example.com> ${now} +0000\ncommitter Linus <linus@example.com> ${now} +0000\ndata ${Buffer.byteLength(message)}\n${message}\nfrom ${parent}\nM 644 inline ${FILE}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
  await runGit(['fast-import', '--quiet'], bare, stream);
  return (await runGit(['rev-parse', 'refs/heads/main'], bare)).trim();
}

/** The commit's subject and trailers. */
function commitOf(bare: string, sha: string) {
  const git = (format: string) =>
    execFileSync('git', ['--git-dir', bare, 'log', '-1', `--format=${format}`, sha], { encoding: 'utf8' }).trim();
  return { subject: git('%s'), trailers: git('%(trailers:only,unfold)') };
}

interface Settled {
  readonly kind: string;
  readonly promotion: {
    state: string;
    toDigest: string;
    reason: string;
    commitSha?: string;
    trigger: { kind: string };
  };
}

describe('rollback --to a version only the Git history holds, locally and against a server', () => {
  let root: TempDir;
  let dir: string;
  let bare: string;
  let server: ServeProcess;
  let token: string;
  const here = (args: string[]) => gantry(args, dir);
  const remote = (args: string[]) => gantry(args, root.path, { GANTRY_SERVER: server.url, GANTRY_TOKEN: token });
  const push = async () => json<{ digest: string }>(await gantry(['sandbox', 'push', '.', '--json'], dir)).digest;
  const production = async () =>
    json<Array<{ phases: Array<{ phase: string; digest?: string }> }>>(
      await here(['status', 'app', '--json']),
    )[0]?.phases.find((p) => p.phase === 'production')?.digest;

  beforeAll(async () => {
    root = await tempDir('gantry-rollback-git-');
    dir = join(root.path, 'sandbox');
    bare = join(dir, 'config.git');
    expect((await gantry(['sandbox', 'init', '--yaml', dir], root.path)).code).toBe(0);
    await appendFile(join(dir, 'gantry.yaml'), 'server:\n  schedules: []\n');
    const created = await gantry(['token', 'create', '--name', 'grace', '--role', 'admin', '--json'], dir);
    expect(created.code, created.stderr).toBe(0);
    token = json<{ token: string }>(created).token;
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await root?.remove();
  }, 60_000);

  it('GIVEN production set by hand to a build Gantry never wrote there, then promoted past it WHEN rollback --to names that build THEN it is released again from the lineage, locally', async () => {
    const a = await push();
    const b = await push();
    for (const phase of ['staging', 'production']) expect((await here(['promote', 'app', phase])).code).toBe(0);
    expect(await production()).toBe(b);
    const hand = await handCommit(bare, b, a);
    expect(await production()).toBe(a);
    // Gantry moves production on again (staging still holds b)
    expect((await here(['promote', 'app', 'production'])).code).toBe(0);
    expect(await production()).toBe(b);

    const r = await here(['rollback', 'app', 'production', '--to', short(a)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^rolled back app/production: app@${short(b)} -> app@${short(a)}\\n`));
    expect(r.stdout).toContain(
      `  reason: rollback to app@${short(a)}, as commit ${hand.slice(0, 12)} had it (not written by Gantry)\n`,
    );
    expect(await production()).toBe(a);
    const sha = /commit ([0-9a-f]{12})/.exec(r.stdout)?.[1] as string;
    expect(commitOf(bare, sha).trailers).toContain(`Gantry-Digest: ${a}`);
    // a person's release of a version not upstream pins the phase, as a rollback does
    expect((await here(['status', 'app'])).stdout).toMatch(/pinned/i);

    // a version production never held is still exit 2, naming those it ran
    const never = await here(['rollback', 'app', 'production', '--to', '9.9.9']);
    expect(never.code).toBe(2);
    expect(never.stderr).toContain('no succeeded promotion of app/production to 9.9.9');
  }, 240_000);

  it('GIVEN the same against gantry serve THEN the server releases it, with the person note when given', async () => {
    const c = await push();
    const d = await push();
    server = await serveProcess(dir);
    const released = await remote(['release', 'app', 'production', '--digest', d, '--wait']);
    expect(released.code, released.stderr).toBe(0);
    const hand = await handCommit(bare, d, c);
    await remote(['status', 'app']);
    expect((await remote(['release', 'app', 'production', '--digest', d, '--wait'])).code).toBe(0);

    const r = await remote([
      'rollback',
      'app',
      'production',
      '--to',
      short(c),
      '--reason',
      'd breaks billing',
      '--wait',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = json<Settled>(r);
    expect(s).toMatchObject({
      kind: 'settled',
      promotion: { state: 'succeeded', toDigest: c, reason: 'd breaks billing', trigger: { kind: 'person' } },
    });
    expect(commitOf(bare, s.promotion.commitSha as string).trailers).toContain('Gantry-Reason: d breaks billing');
    expect(hand).toMatch(/^[0-9a-f]{40}$/);
    expect(await production()).toBe(c);
  }, 240_000);
});
