import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GantryClient } from '@gantry/client';
import { createClient } from '@gantry/client';
import { signBody } from '@gantry/server';
import { openStore } from '@gantry/store';
import { commitToBareRepo, readBareFile, tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../server/serve-process.js';
import { serveProcess } from '../server/serve-process.js';
import { until } from '../server/until.js';
import { gantry, json } from './run-cli.js';

const SECRET = 'registry-hook-secret';

/**
 * A YAML sandbox whose staging promotes automatically, beside a `canary` phase that does too.
 * Canary comes after staging in the pipeline, so one reconcile asks for staging first: once
 * canary has the new version, automation has had its turn at staging.
 */
async function autoSandbox(root: string): Promise<string> {
  const dir = join(root, 'sandbox');
  expect((await gantry(['sandbox', 'init', '--yaml', dir], root)).code).toBe(0);
  const file = join(dir, 'gantry.yaml');
  const yaml = (await readFile(file, 'utf8')).replace(
    '      - name: staging\n        promotesFrom: oci\n',
    '      - name: staging\n        promotesFrom: oci\n        autoPromote: true\n',
  );
  const canary = [
    '      - name: canary',
    '        promotesFrom: oci',
    '        autoPromote: true',
    '        source:',
    '          type: git',
    '          repository: config',
    '          path: env/canary/deployment.yaml',
    '          updater: { type: kubernetes-image, container: app, envVar: APP_IMAGE_DIGEST }',
    'server:',
    `  webhookSecret: ${SECRET}`,
    '  schedules: []',
  ].join('\n');
  await writeFile(file, `${yaml.trimEnd()}\n${canary}\n`);
  const bare = join(dir, 'config.git');
  await commitToBareRepo(bare, {
    files: { 'env/canary/deployment.yaml': await readBareFile(bare, 'main', 'env/staging/deployment.yaml') },
    message: 'canary environment',
  });
  return dir;
}

interface HoldJson {
  kind: string;
  phase?: string;
  actor: string;
  reason: string;
  digest?: string;
}

describe('pins and pauses through gantry against gantry serve: automation holds, a person may still promote', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;
  let server: ServeProcess;
  let api: GantryClient;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    root = await tempDir('gantry-cli-holds-');
    dir = await autoSandbox(root.path);
    for (const [name, role] of [
      ['alice', 'admin'],
      ['vic', 'viewer'],
    ] as const) {
      const r = await gantry(['token', 'create', '--name', name, '--role', role, '--json'], dir);
      expect(r.code, r.stderr).toBe(0);
      tokens[name] = json<{ token: string }>(r).token;
    }
    server = await serveProcess(dir);
    api = createClient({ baseUrl: server.url, token: tokens.alice as string });
  });
  afterAll(async () => {
    await server.stop();
    await root.remove();
  });

  const as = (who: string, args: string[]) =>
    gantry(args, root.path, { GANTRY_SERVER: server.url, GANTRY_TOKEN: tokens[who] as string });
  const ok = async (who: string, args: string[]) => {
    const r = await as(who, args);
    expect(r.code, `gantry ${args.join(' ')}:\n${r.stdout}${r.stderr}`).toBe(0);
    return r;
  };

  /** A new image, and the registry's push notification for it: the server reconciles the pipeline. */
  async function pushAndNotify(): Promise<string> {
    const { digest } = json<{ digest: string }>(await gantry(['sandbox', 'push', '.', '--json'], dir));
    await notify(digest);
    return digest;
  }
  async function notify(digest: string): Promise<void> {
    const body = JSON.stringify({ repository: 'app', tag: 'latest', digest });
    const res = await fetch(`${server.url}/api/v1/webhooks/registry?registry=sandbox`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-gantry-signature-256': signBody(SECRET, body) },
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { matched: string[] }).matched).toContain('app/oci');
  }
  const promoted = (phase: string, digest: string) =>
    until(async () => {
      const items = (await api.history('app', { phase })).items;
      return items.find((p) => p.toDigest === digest && p.state === 'succeeded');
    }, `app/${phase} promoted to ${digest}`);
  const promotionsTo = async (phase: string, digest: string) =>
    (await api.history('app', { phase })).items.filter((p) => p.toDigest === digest);

  it('GIVEN staging pinned WHEN a registry push reconciles THEN automation leaves staging where it is (canary moves), status and why show who pinned it and why; once unpinned the next push moves it', async () => {
    // GIVEN staging at a first version, then pinned by alice
    const first = await pushAndNotify();
    await promoted('staging', first);
    await promoted('canary', first);
    const pin = await as('alice', ['pin', 'app', 'staging', '--reason', 'v1 must stay for the demo', '--json']);
    expect(pin.code, pin.stderr).toBe(0);
    expect(json<HoldJson>(pin)).toMatchObject({
      kind: 'pin',
      phase: 'staging',
      actor: 'alice',
      reason: 'v1 must stay for the demo',
      digest: first,
    });

    // WHEN a new version is pushed and the registry says so
    const second = await pushAndNotify();
    // THEN canary, after staging in the same reconcile, moves; staging does not
    await promoted('canary', second);
    expect(await promotionsTo('staging', second)).toEqual([]);
    const status = await as('vic', ['status', 'app']);
    expect(status.stdout).toMatch(/staging .*behind oci .*pinned by alice \(v1 must stay for the demo\)/);
    const why = await as('vic', ['why', 'app', 'staging']);
    expect(why.stdout).toMatch(/app\/staging pinned at [0-9a-f]{12} by alice since .*: v1 must stay for the demo/);
    expect(why.stdout).toContain('to release: gantry unpin app staging');

    // a viewer may not release it; releasing it twice says there is nothing to release
    const viewer = await as('vic', ['unpin', 'app', 'staging']);
    expect(viewer.code).toBe(2);
    expect(viewer.stderr).toContain('[forbidden]');
    const unpin = await as('alice', ['unpin', 'app', 'staging', '--reason', 'demo over']);
    expect(unpin.code, unpin.stderr).toBe(0);
    expect(unpin.stdout).toContain('released: app/staging pinned');
    const again = await as('alice', ['unpin', 'app', 'staging']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('app/staging is not pinned');

    // AND the next reconcile moves staging
    await notify(second);
    await promoted('staging', second);
  });

  it('GIVEN a phase or the whole pipeline paused WHEN a push reconciles THEN automation moves nothing paused, a person still may, and resume releases it', async () => {
    const paused = await as('alice', ['pause', 'app', 'staging', '--reason', 'load test running']);
    expect(paused.code, paused.stderr).toBe(0);
    const digest = await pushAndNotify();
    await promoted('canary', digest);
    expect(await promotionsTo('staging', digest)).toEqual([]);
    expect((await as('vic', ['status', 'app'])).stdout).toMatch(/staging .*paused by alice \(load test running\)/);
    await ok('alice', ['resume', 'app', 'staging']);

    // the whole pipeline: every phase shows it, and a person's promotion still goes through
    const all = await as('alice', ['pause', 'app', '--reason', 'incident 42']);
    expect(all.code, all.stderr).toBe(0);
    const status = json<Array<{ phases: Array<{ phase: string; holds?: HoldJson[] }> }>>(
      await as('vic', ['status', 'app', '--json']),
    );
    const holdsOf = (phase: string) => status[0]?.phases.find((p) => p.phase === phase)?.holds;
    expect(holdsOf('production')).toEqual([
      expect.objectContaining({ kind: 'pause', actor: 'alice', reason: 'incident 42' }),
    ]);
    expect(holdsOf('oci')).toBeUndefined();
    const byHand = await as('alice', ['promote', 'app', 'staging', '--wait']);
    expect(byHand.code, byHand.stderr).toBe(0);
    const resumed = await as('alice', ['resume', 'app', '--reason', 'incident closed']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const twice = await as('alice', ['resume', 'app']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('pipeline app is not paused');
    expect((await api.holds({ pipeline: 'app' })).items).toEqual([]);
  });

  it('GIVEN pins and pauses WHEN set without a reason or by a viewer THEN refused naming the reason or the role; every change is in the audit log with who and why', async () => {
    const blank = await as('alice', ['pin', 'app', 'production', '--reason', ' ']);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toContain('[reason]');
    const viewer = await as('vic', ['pause', 'app', '--reason', 'curious']);
    expect(viewer.code).toBe(2);
    expect(viewer.stderr).toContain('needs role promoter');
    const source = await as('alice', ['pin', 'app', 'oci', '--reason', 'x']);
    expect(source.code).toBe(2);
    expect(source.stderr).toContain('[phase_not_writable]');

    // WHEN alice pins production, pauses the pipeline, and releases both
    await ok('alice', ['pin', 'app', 'production', '--reason', 'audit: pinned']);
    await ok('alice', ['pause', 'app', '--reason', 'audit: paused']);
    await ok('alice', ['unpin', 'app', 'production', '--reason', 'audit: unpinned']);
    await ok('alice', ['resume', 'app']);
    // THEN each change is recorded with who and why; none of the refusals is
    const store = await openStore({ sqlitePath: join(dir, '.gantry', 'gantry.db') });
    try {
      const audit = (await store.listAudit({ limit: 100 })).items
        .filter((a) => ['pin', 'unpin', 'pause', 'resume'].includes(a.action))
        .map((a) => [a.action, a.actor, a.subject, (a.detail as { reason?: string }).reason]);
      expect(audit).toEqual(
        expect.arrayContaining([
          ['pin', 'alice', 'app/production', 'audit: pinned'],
          ['pause', 'alice', 'app', 'audit: paused'],
          ['unpin', 'alice', 'app/production', 'audit: unpinned'],
          ['resume', 'alice', 'app', undefined],
        ]),
      );
      expect(audit.filter(([, actor]) => actor === 'vic')).toEqual([]);
      expect(audit.filter(([action, , subject]) => action === 'pin' && subject === 'app/oci')).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('pins and pauses without a server: the data directory store', () => {
  it('GIVEN a sandbox WHEN pin, pause, unpin and resume run here THEN status and why show them with who and why, releasing what is not held is refused, and the audit log has each', async () => {
    await using root = await tempDir('gantry-cli-holds-local-');
    const dir = join(root.path, 'sandbox');
    expect((await gantry(['sandbox', 'init', '--yaml', dir], root.path)).code).toBe(0);
    const env = { GANTRY_AUTHOR_NAME: 'Dana', GANTRY_AUTHOR_EMAIL: 'dana@example.com' };
    const run = (args: string[]) => gantry(args, dir, env);

    const pin = await run(['pin', 'app', 'production', '--reason', 'rolled back by hand']);
    expect(pin.code, pin.stderr).toBe(0);
    expect(pin.stdout).toMatch(/^app\/production pinned at [0-9a-f]{12} by dana@example.com/);
    expect((await run(['pause', 'app', 'staging', '--reason', 'db migration'])).code).toBe(0);

    const status = await run(['status']);
    expect(status.stdout).toMatch(/production .*pinned by dana@example.com \(rolled back by hand\)/);
    expect(status.stdout).toMatch(/staging .*paused by dana@example.com \(db migration\)/);
    const why = json<{ holds: HoldJson[] }>(await run(['why', 'app', 'production', '--json']));
    expect(why.holds).toEqual([expect.objectContaining({ kind: 'pin', actor: 'dana@example.com' })]);

    expect((await run(['unpin', 'app', 'production'])).code).toBe(0);
    const again = await run(['unpin', 'app', 'production']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('app/production is not pinned');
    expect((await run(['resume', 'app', 'staging', '--reason', 'migrated'])).code).toBe(0);
    const unknown = await run(['pause', 'app', 'qa', '--reason', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('known: oci, staging, production');
    const missing = await run(['pin', 'app', 'production', '--reason', '']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[reason]');
    expect((await run(['status'])).stdout).not.toMatch(/pinned|paused/);

    const store = await openStore({ sqlitePath: join(dir, '.gantry', 'gantry.db') });
    try {
      const audit = (await store.listAudit({ limit: 20 })).items.map((a) => [a.action, a.actor, a.subject]);
      expect(audit).toEqual(
        expect.arrayContaining([
          ['pin', 'dana@example.com', 'app/production'],
          ['pause', 'dana@example.com', 'app/staging'],
          ['unpin', 'dana@example.com', 'app/production'],
          ['resume', 'dana@example.com', 'app/staging'],
        ]),
      );
    } finally {
      await store.close();
    }
  });
});
