import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore } from '@gantry/store';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../server/serve-process.js';
import { serveProcess } from '../server/serve-process.js';
import { gantry, json } from './run-cli.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * A YAML sandbox whose production is frozen from yesterday for a month (the CLI runs on the
 * wall clock: the freeze is placed around it, so the window is closed now and opens within a year).
 */
async function frozenSandbox(root: string): Promise<string> {
  const dir = join(root, 'sandbox');
  await mkdir(root, { recursive: true });
  expect((await gantry(['sandbox', 'init', '--yaml', dir], root)).code).toBe(0);
  const file = join(dir, 'gantry.yaml');
  const start = new Date(Date.now() - DAY).toISOString();
  const end = new Date(Date.now() + 30 * DAY).toISOString();
  const yaml = (await readFile(file, 'utf8')).replace(
    '        message: "release {{version}} to production"\n',
    `        message: "release {{version}} to production"
        gates:
          - kind: window
            name: freeze
            timeZone: Europe/Paris
            freezes: [{ reason: year-end freeze, start: "${start}", end: "${end}" }]
`,
  );
  await writeFile(file, `${yaml}server:\n  schedules: []\n`);
  return dir;
}

interface OverrideJson {
  override: { gate: string; actor: string; reason: string; digest?: string; expiresAt?: string };
  promotions: Array<{ id: string; state: string }>;
}

describe('gantry override', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    root = await tempDir('gantry-cli-override-');
  });
  afterAll(async () => {
    await root.remove();
  });

  it('GIVEN a frozen production and a waiting local promotion WHEN overridden locally with a reason THEN the promotion runs here, and the override is in the audit log', async () => {
    const dir = await frozenSandbox(join(root.path, 'local'));
    expect((await gantry(['sandbox', 'push', '.'], dir)).code).toBe(0);
    expect((await gantry(['promote', 'app', 'staging'], dir)).code).toBe(0);
    const asked = await gantry(['promote', 'app', 'production'], dir);
    expect(asked.stdout, asked.stderr).toMatch(/^waiting promotion [0-9a-f-]{36}: app\/production/);
    expect(asked.stdout).toContain('frozen: year-end freeze');

    // without a reason: refused before anything is recorded
    const bare = await gantry(['override', 'app', 'production', 'freeze'], dir);
    expect(bare.code).not.toBe(0);
    expect(bare.stderr).toMatch(/--reason/);
    // an unknown gate: named, with the window gates there are
    const unknown = await gantry(['override', 'app', 'production', 'hours', '--reason', 'x'], dir);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('[unknown_gate]');
    expect(unknown.stderr).toContain('its window gates: freeze');

    const r = await gantry(
      ['override', 'app', 'production', 'freeze', '--reason', 'payment outage fix', '--expires', '2h', '--json'],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = json<OverrideJson>(r);
    expect(out.override).toMatchObject({ gate: 'freeze', reason: 'payment outage fix' });
    expect(Date.parse(out.override.expiresAt ?? '')).toBeGreaterThan(Date.now());
    expect(out.promotions.map((p) => p.state)).toEqual(['succeeded']);

    const store = await openStore({ sqlitePath: join(dir, '.gantry', 'gantry.db') });
    try {
      const audit = (await store.listAudit({ limit: 20 })).items.find((a) => a.action === 'override');
      expect(audit?.detail).toMatchObject({ gate: 'freeze', reason: 'payment outage fix', digest: 'any' });
    } finally {
      await store.close();
    }
  });

  describe('against gantry serve', () => {
    let dir: string;
    let server: ServeProcess;
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      dir = await frozenSandbox(join(root.path, 'remote'));
      for (const [name, role] of [
        ['ann', 'admin'],
        ['pat', 'promoter'],
      ] as const) {
        const t = await gantry(['token', 'create', '--name', name, '--role', role, '--json'], dir);
        expect(t.code, t.stderr).toBe(0);
        tokens[name] = json<{ token: string }>(t).token;
      }
      server = await serveProcess(dir);
    });
    afterAll(async () => {
      await server.stop();
    });
    const as = (who: string, args: string[]) =>
      gantry(args, root.path, { GANTRY_SERVER: server.url, GANTRY_TOKEN: tokens[who] as string });

    it('GIVEN a waiting promotion WHEN a promoter overrides THEN it is refused (exit 2); WHEN an admin does for that version THEN it is released and its promotion records who overrode and why', async () => {
      expect((await gantry(['sandbox', 'push', '.'], dir)).code).toBe(0);
      expect((await as('pat', ['promote', 'app', 'staging', '--wait'])).code).toBe(0);
      const asked = await as('pat', ['promote', 'app', 'production']);
      expect(asked.stdout, asked.stderr).toMatch(/^waiting promotion/);
      const version = /-> (\S+)/.exec(asked.stdout)?.[1];

      const refused = await as('pat', ['override', 'app', 'production', 'freeze', '--reason', 'x']);
      expect(refused.stderr).toContain('[forbidden]');
      expect(refused.code).toBe(2);

      const given = await as('ann', [
        'override',
        'app',
        'production',
        'freeze',
        '--reason',
        'checkout outage',
        ...(version ? ['--version', version] : []),
      ]);
      expect(given.code, given.stderr).toBe(0);
      expect(given.stdout).toContain('overrode gate "freeze" of app/production');
      expect(given.stdout).toMatch(/promotion [0-9a-f-]{36} \(.*\): (queued|running|committed|pushed|succeeded)/);

      // the promotion records the verdict with who overrode and why
      const id = /promotion ([0-9a-f-]{36})/.exec(given.stdout)?.[1] as string;
      const tracked = await as('pat', ['track', id, '--timeout', '2m']);
      expect(tracked.code, tracked.stdout + tracked.stderr).toBe(0);
      const store = await openStore({ sqlitePath: join(dir, '.gantry', 'gantry.db') });
      try {
        const gates = (await store.getPromotion(id))?.gates as Array<{ gate: string; reason: string }> | undefined;
        expect(gates?.find((v) => v.gate === 'freeze')?.reason).toMatch(/overridden by ann: checkout outage/);
      } finally {
        await store.close();
      }
    });
  });
});
