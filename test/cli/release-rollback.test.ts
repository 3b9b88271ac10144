import { execFileSync } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TempDir } from '@gantry/testing';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../server/serve-process.js';
import { serveProcess } from '../server/serve-process.js';
import type { CliResult } from './run-cli.js';
import { gantry, json } from './run-cli.js';

interface Row {
  readonly id: string;
  readonly pipeline: string;
  readonly phase: string;
  readonly state: string;
  readonly toDigest: string;
  readonly toVersion: string;
  readonly reason: string;
  readonly commitSha?: string;
  readonly trigger: { kind: string; actor?: string; rollbackOf?: string; author?: { name: string; email: string } };
}
interface Settled {
  readonly kind: string;
  readonly promotion: Row;
}

/** One commit as Git records it: author, committer, subject and trailers. */
function commitOf(dir: string, sha: string) {
  const git = (format: string) =>
    execFileSync('git', ['--git-dir', join(dir, 'config.git'), 'log', '-1', `--format=${format}`, sha], {
      encoding: 'utf8',
    }).trim();
  const trailers = Object.fromEntries(
    git('%(trailers:only,unfold)')
      .split('\n')
      .filter((l) => l.includes(': '))
      .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
  );
  return { author: git('%an <%ae>'), committer: git('%cn <%ce>'), subject: git('%s'), trailers };
}

const pushed = async (dir: string) =>
  json<{ digest: string }>(await gantry(['sandbox', 'push', '.', '--json'], dir)).digest;
const short = (digest: string) => digest.slice(7, 19);

/** The lines a command prints, without what differs between two runs of it (ids, commits, times). */
const shape = (r: CliResult) =>
  r.stdout
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/commit [0-9a-f]{12}/g, 'commit <sha>')
    .replace(/@[0-9a-f]{12}/g, '@<digest>');

describe('release, rollback and promote without a phase, locally and against a server', () => {
  let root: TempDir;
  let local: string;
  let far: string;
  let server: ServeProcess;
  let token: string;
  const alice = { GANTRY_AUTHOR_NAME: 'Alice Example', GANTRY_AUTHOR_EMAIL: 'alice@example.com' };
  const here = (args: string[]) => gantry(args, local, alice);
  const remote = (args: string[]) => gantry(args, root.path, { GANTRY_SERVER: server.url, GANTRY_TOKEN: token });

  beforeAll(async () => {
    root = await tempDir('gantry-release-');
    local = join(root.path, 'local');
    far = join(root.path, 'far');
    for (const dir of [local, far]) expect((await gantry(['sandbox', 'init', '--yaml', dir], root.path)).code).toBe(0);
    const created = await gantry(
      ['token', 'create', '--name', 'Bob Builder <bob@example.com>', '--role', 'admin', '--json'],
      far,
    );
    expect(created.code, created.stderr).toBe(0);
    token = json<{ token: string }>(created).token;
    await appendFile(join(far, 'gantry.yaml'), 'server:\n  schedules: []\n');
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await root?.remove();
  }, 240_000);

  it("GIVEN a new image WHEN promote runs without a phase THEN it promotes the next phase behind each time, then says all is in sync; the commits are the person's with who and why", async () => {
    const v2 = await pushed(local);
    const first = await here(['promote', 'app', '--reason', 'QA asked\nfor it']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^next phase behind: staging\npromoted app\/staging: /);
    const second = await here(['promote', 'app']);
    expect(second.stdout).toMatch(/^next phase behind: production\npromoted app\/production: /);
    const third = await here(['promote', 'app']);
    expect(third.code).toBe(0);
    expect(third.stdout).toBe('app is in sync everywhere: no phase is behind its upstream; nothing to promote\n');

    const sha = /commit ([0-9a-f]{12})/.exec(first.stdout)?.[1] as string;
    const c = commitOf(local, sha);
    expect(c.author).toBe('Alice Example <alice@example.com>');
    expect(c.committer).toBe('Gantry <gantry@example.com>');
    expect(c.subject).toBe(`promote app/staging to app:latest@${short(v2)}`);
    expect(c.trailers).toMatchObject({
      'Gantry-Actor': 'alice@example.com',
      // the note's line break does not break the trailer
      'Gantry-Reason': 'QA asked for it',
      'Gantry-Digest': v2,
    });
    expect(c.trailers).not.toHaveProperty('Gantry-Reverts');
  }, 240_000);

  it('GIVEN a newer image WHEN released to production by digest THEN it skips staging, and rollback restores the version before it in a commit that says so', async () => {
    const v3 = await pushed(local);
    const released = await here(['release', 'app', 'production', '--digest', v3, '--reason', 'hotfix OPS-7', '--json']);
    expect(released.code, released.stderr).toBe(0);
    const r = json<Settled>(released);
    expect(r).toMatchObject({
      kind: 'settled',
      promotion: { state: 'succeeded', toDigest: v3, reason: 'hotfix OPS-7' },
    });

    const before = json<{ items: Row[] }>(await here(['history', 'app', 'production', '--json'])).items;
    const reverted = before.find((p) => p.id !== r.promotion.id && p.state === 'succeeded') as Row;
    const back = await here(['rollback', 'app', 'production']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toMatch(
      new RegExp(
        `^rolled back app/production: app@${short(v3)} -> ${reverted.toVersion} \\(reverts promotion ${reverted.id}\\)\\n`,
      ),
    );
    const sha = /commit ([0-9a-f]{12})/.exec(back.stdout)?.[1] as string;
    const c = commitOf(local, sha);
    expect(c.subject).toBe(`rollback app production to ${reverted.toVersion}`);
    expect(c.trailers).toMatchObject({ 'Gantry-Reverts': reverted.id, 'Gantry-Actor': 'alice@example.com' });
    expect(c.author).toBe('Alice Example <alice@example.com>');
    // a release message stays as the phase words it
    const rel = commitOf(local, r.promotion.commitSha as string);
    expect(rel.subject).toBe(`release app@${short(v3)} to production`);
    expect(rel.trailers).toMatchObject({ 'Gantry-Reason': 'hotfix OPS-7' });

    // rolled back to by version: the hotfix again (its digest prefix)
    const again = await here(['rollback', 'app', 'production', '--to', short(v3), '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(json<Settled>(again).promotion).toMatchObject({
      toDigest: v3,
      trigger: { kind: 'person', rollbackOf: r.promotion.id },
    });
  }, 240_000);

  it('GIVEN names that resolve to nothing WHEN released or rolled back THEN exit 2 saying why, nothing written', async () => {
    const head = () =>
      execFileSync('git', ['--git-dir', join(local, 'config.git'), 'rev-parse', 'main'], { encoding: 'utf8' });
    const tip = head();
    const tag = await here(['release', 'app', 'staging', '--version', 'no-such-tag']);
    expect(tag.code).toBe(2);
    expect(tag.stderr).toContain('[target_not_found]');
    const none = await here(['release', 'app', 'staging']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('exactly one of --version, --digest, --branch and --artifact');
    const branch = await here(['release', 'app', 'staging', '--branch', 'main']);
    expect(branch.code).toBe(2);
    expect(branch.stderr).toContain('CI reports builds to a server');
    const unknown = await here(['rollback', 'app', 'production', '--to', '9.9.9']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no succeeded promotion of app/production to 9.9.9; versions it ran:');
    expect(head()).toBe(tip);
  }, 240_000);

  it('GIVEN the same steps against a server THEN the same output, the token holder authors the commits, and history shows local and server promotions alike', async () => {
    // a promotion run locally on the server's data directory, before it starts
    await pushed(far);
    const byHand = await gantry(['promote', 'app', 'staging', '--json'], far, alice);
    expect(byHand.code, byHand.stderr).toBe(0);
    const localId = json<{ promotionId: string }>(byHand).promotionId;
    server = await serveProcess(far);

    const next = await remote(['promote', 'app', '--wait']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/^next phase behind: production\npromoted app\/production: /);
    expect((await remote(['promote', 'app'])).stdout).toBe(
      'app is in sync everywhere: no phase is behind its upstream; nothing to promote\n',
    );

    await pushed(far);
    const released = await remote([
      'release',
      'app',
      'production',
      '--version',
      'latest',
      '--reason',
      'hotfix OPS-7',
      '--wait',
    ]);
    expect(released.code, released.stderr).toBe(0);
    // the same release in local mode, of the local sandbox's own newest image
    await pushed(local);
    const releasedHere = await gantry(
      ['release', 'app', 'staging', '--version', 'latest', '--reason', 'hotfix OPS-7'],
      local,
      alice,
    );
    expect(releasedHere.code, releasedHere.stderr).toBe(0);
    // the same words in both modes (local: staging, remote: production)
    const words = (r: CliResult, phase: string) =>
      shape(r).replaceAll(phase, '<phase>').replaceAll(':latest@', '@').split('\n').slice(0, 3);
    expect(words(released, 'production')).toEqual(words(releasedHere, 'staging'));
    expect(words(released, 'production')[0]).toBe('released app/<phase>: app@<digest> -> app@<digest>');
    const sha = /commit ([0-9a-f]{12})/.exec(released.stdout)?.[1] as string;
    const c = commitOf(far, sha);
    expect(c.author).toBe('Bob Builder <bob@example.com>');
    expect(c.committer).toBe('Gantry <gantry@example.com>');
    expect(c.trailers).toMatchObject({
      'Gantry-Actor': 'Bob Builder <bob@example.com>',
      'Gantry-Reason': 'hotfix OPS-7',
    });

    const back = await remote(['rollback', 'app', 'production', '--wait']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toMatch(
      /^rolled back app\/production: app@[0-9a-f]{12} -> app@[0-9a-f]{12} \(reverts promotion /,
    );
    const rollbackSha = /commit ([0-9a-f]{12})/.exec(back.stdout)?.[1] as string;
    expect(commitOf(far, rollbackSha).subject).toMatch(/^rollback app production to app@[0-9a-f]{12}$/);

    // history: the local promotion and the server's, in both modes, every pipeline or one
    const remoteAll = json<{ items: Row[] }>(await remote(['history', '--json'])).items;
    const localAll = json<{ items: Row[] }>(await gantry(['history', '--json'], far)).items;
    expect(remoteAll.map((p) => p.id)).toEqual(localAll.map((p) => p.id));
    expect(remoteAll.map((p) => p.id)).toContain(localId);
    expect(remoteAll[0]).toMatchObject({
      pipeline: 'app',
      phase: 'production',
      trigger: { actor: 'Bob Builder <bob@example.com>' },
    });
    const table = await remote(['history', 'app', '--limit', '10']);
    expect(table.stdout).toMatch(/^ID\s+WHEN\s+PHASE\s+VERSION\s+BY\s+STATE\s+DEPLOYED\s+COMMIT\s+REASON$/m);
    expect(table.stdout).toMatch(
      /production .* Bob Builder <bob@example\.com> \(rollback\)\s+succeeded .* rollback to /,
    );
    expect(table.stdout).toMatch(/staging .* alice@example\.com\s+succeeded /);
    expect(table.stdout).toBe((await gantry(['history', 'app', '--limit', '10'], far)).stdout);
  }, 240_000);
});
