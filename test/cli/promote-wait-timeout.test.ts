import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TempDir } from '@gantry/testing';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../server/serve-process.js';
import { serveProcess } from '../server/serve-process.js';
import { gantry, json } from './run-cli.js';

/** A YAML sandbox whose production waits for one admin's approval. */
async function gatedSandbox(root: string): Promise<string> {
  const dir = join(root, 'sandbox');
  expect((await gantry(['sandbox', 'init', '--yaml', dir], root)).code).toBe(0);
  const file = join(dir, 'gantry.yaml');
  const yaml = (await readFile(file, 'utf8')).replace(
    '        message: "release {{version}} to production"\n',
    `        message: "release {{version}} to production"
        gates:
          - { kind: approval, name: ops-approval, count: 1, roles: [admin] }
`,
  );
  await writeFile(file, `${yaml}server:\n  schedules: []\n`);
  return dir;
}

interface Detail {
  readonly id: string;
  readonly state: string;
  readonly phase: string;
  readonly gates?: ReadonlyArray<{ gate: string; outcome: string }>;
}

describe('promote --wait on a promotion its gates hold, against gantry serve', () => {
  let root: TempDir;
  let dir: string;
  let server: ServeProcess;
  const tokens: Record<string, string> = {};
  const as = (who: string, args: string[]) =>
    gantry(args, root.path, { GANTRY_SERVER: server.url, GANTRY_TOKEN: tokens[who] as string });

  beforeAll(async () => {
    root = await tempDir('gantry-wait-timeout-');
    dir = await gatedSandbox(root.path);
    for (const [name, role] of [
      ['ann', 'promoter'],
      ['bob', 'admin'],
    ] as const) {
      const r = await gantry(['token', 'create', '--name', name, '--role', role, '--json'], dir);
      expect(r.code, r.stderr).toBe(0);
      tokens[name] = json<{ token: string }>(r).token;
    }
    server = await serveProcess(dir);
    expect((await gantry(['sandbox', 'push', '.'], dir)).code).toBe(0);
    const staged = await as('ann', ['promote', 'app', 'staging', '--wait']);
    expect(staged.code, staged.stderr).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    await root?.remove();
  }, 60_000);

  it('GIVEN an approval gate WHEN promote --wait --timeout 2s THEN it exits 3 saying the promotion still waits and on which gate; the promotion stays recorded', async () => {
    const r = await as('ann', ['promote', 'app', 'production', '--wait', '--timeout', '2s']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^promotion [0-9a-f-]{36} still waiting after 2s\n/);
    expect(r.stderr).toMatch(/waiting promotion [0-9a-f-]{36}: app\/production /);
    expect(r.stderr).toContain('wait  ops-approval (approval): 0 of 1 approval\n');

    // --json: the promotion itself, as it stands
    const j = await as('ann', ['promote', 'app', 'production', '--wait', '--timeout', '1s', '--json']);
    expect(j.code).toBe(3);
    const p = json<Detail>(j);
    expect(p).toMatchObject({ phase: 'production', state: 'waiting' });
    expect(p.gates?.map((g) => [g.gate, g.outcome])).toEqual([['ops-approval', 'wait']]);

    const bad = await as('ann', ['promote', 'app', 'production', '--wait', '--timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--timeout: invalid duration "soon"');
  }, 120_000);

  it('GIVEN promote --wait without a timeout on a waiting promotion WHEN an admin approves it THEN the command follows it to its end and exits 0', async () => {
    const waiting = as('ann', ['promote', 'app', 'production', '--wait', '--json']);
    // the waiting promotion the command follows (the newest for production)
    let id: string | undefined;
    for (let i = 0; i < 100 && !id; i++) {
      const h = json<{ items: Detail[] }>(await as('ann', ['history', 'app', 'production', '--json']));
      id = h.items.find((x) => x.state === 'waiting')?.id;
      if (!id) await new Promise((r) => setTimeout(r, 200));
    }
    expect(id).toBeDefined();
    const approved = await as('bob', ['approve', id as string]);
    expect(approved.code, approved.stderr).toBe(0);
    const r = await waiting;
    expect(r.code, r.stderr).toBe(0);
    expect(json<Detail>(r)).toMatchObject({ id, state: 'succeeded', phase: 'production' });
  }, 120_000);
});
