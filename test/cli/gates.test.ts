import { join } from 'node:path';
import { openStore } from '@gantry/store';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../server/serve-process.js';
import { serveProcess } from '../server/serve-process.js';
import type { CliResult } from './run-cli.js';
import { gantry, json } from './run-cli.js';
import { gateProduction } from '../support/gated-sandbox.js';

/** A YAML sandbox whose production needs two approvals from admins. */
async function gatedSandbox(root: string): Promise<string> {
  const dir = join(root, 'sandbox');
  expect((await gantry(['sandbox', 'init', '--yaml', dir], root)).code).toBe(0);
  await gateProduction(dir);
  return dir;
}

const ID = /promotion ([0-9a-f-]{36})/;
const idOf = (r: CliResult) => {
  const id = ID.exec(r.stdout)?.[1];
  if (!id) throw new Error(`no promotion id in:\n${r.stdout}\n${r.stderr}`);
  return id;
};

interface WhyJson {
  plan: { kind: string };
  gates?: {
    summary: { outcome: string };
    verdicts: Array<{ gate: string; outcome: string; reason: string; unblock?: string }>;
  };
  holds: unknown[];
  unfinished: Array<{ id: string; state: string }>;
}

describe('approve, reject and why through gantry against gantry serve', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;
  let server: ServeProcess;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    root = await tempDir('gantry-cli-gates-');
    dir = await gatedSandbox(root.path);
    for (const [name, role] of [
      ['ann', 'admin'],
      ['bob', 'admin'],
      ['carl', 'admin'],
      ['pat', 'promoter'],
    ] as const) {
      const r = await gantry(['token', 'create', '--name', name, '--role', role, '--json'], dir);
      expect(r.code, r.stderr).toBe(0);
      tokens[name] = json<{ token: string }>(r).token;
    }
    server = await serveProcess(dir);
  });
  afterAll(async () => {
    await server.stop();
    await root.remove();
  });

  const as = (who: string, args: string[]) =>
    gantry(args, root.path, { GANTRY_SERVER: server.url, GANTRY_TOKEN: tokens[who] as string });

  /** A new image in staging, and ann asking for it in production: a waiting promotion's id. */
  async function waitingProduction(): Promise<string> {
    expect((await gantry(['sandbox', 'push', '.'], dir)).code).toBe(0);
    const staged = await as('ann', ['promote', 'app', 'staging', '--wait', '--reason', 'new build for QA']);
    expect(staged.code, staged.stderr).toBe(0);
    const asked = await as('ann', ['promote', 'app', 'production']);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toMatch(/^waiting promotion [0-9a-f-]{36}: app\/production/);
    expect(asked.stdout).toContain('wait  two-admins (approval): 0 of 2 approvals');
    return idOf(asked);
  }

  it('GIVEN production needs two admins WHEN the requester, a promoter and two admins approve THEN only the two admins count, why says so at each step, and it is promoted', async () => {
    const id = await waitingProduction();
    // why, as text and as JSON: the gate waits, the promotion is listed
    const why = await as('pat', ['why', 'app', 'production']);
    expect(why.code, why.stderr).toBe(0);
    expect(why.stdout).toContain('gates: waiting for two-admins');
    expect(why.stdout).toContain('to unblock: two more approvals from role admin');
    expect(why.stdout).toMatch(new RegExp(`${id}\\s+waiting`));
    const whyJson = json<WhyJson>(await as('pat', ['why', 'app', 'production', '--json']));
    expect(whyJson.gates?.verdicts[0]).toMatchObject({ gate: 'two-admins', outcome: 'wait' });
    expect(whyJson.unfinished.map((p) => p.id)).toEqual([id]);

    // the requester's own approval and a promoter's do not count
    const own = await as('ann', ['approve', id]);
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toContain('still waiting for:');
    expect(own.stdout).toContain('ann requested this promotion');
    const promoter = await as('pat', ['approve', id]);
    expect(promoter.stdout).toContain('pat (promoter) is not among the approvers');

    // one admin: one of two
    const bob = await as('bob', ['approve', id, '--comment', 'checked the dashboards']);
    expect(bob.code, bob.stderr).toBe(0);
    expect(bob.stdout).toContain('1 of 2 approvals: bob (admin)');
    expect(bob.stdout).toContain('"checked the dashboards"');

    // WHEN a second admin approves THEN every gate passes and the server runs it
    const carl = json<{ id: string; state: string }>(await as('carl', ['approve', id, '--json']));
    expect(carl).toMatchObject({ id });
    expect(carl.state).toMatch(/queued|running|committed|pushed|succeeded/);
    const tracked = await as('carl', ['track', id, '--timeout', '2m']);
    expect(tracked.code, tracked.stdout + tracked.stderr).toBe(0);

    // AND a decision on it now is refused as a conflict (exit 3), naming its state
    const late = await as('bob', ['approve', id]);
    expect(late.code).toBe(3);
    expect(late.stderr).toContain('[promotion_not_waiting]');
    expect(late.stderr).toContain('is succeeded');

    // AND the decisions are in the audit log with who and why
    const store = await openStore({ sqlitePath: join(dir, '.gantry', 'gantry.db') });
    try {
      const audit = (await store.listAudit({ limit: 50 })).items.filter(
        (a) => a.action === 'approve' && (a.detail as { promotion?: string }).promotion === id,
      );
      expect(audit.map((a) => a.actor).sort()).toEqual(['ann', 'bob', 'carl', 'pat']);
      expect(audit.find((a) => a.actor === 'bob')?.detail).toMatchObject({ comment: 'checked the dashboards' });
    } finally {
      await store.close();
    }
  });

  it('GIVEN a waiting promotion WHEN an admin rejects it THEN it fails with the rejection and why shows the version blocked; a rejection needs a comment', async () => {
    const id = await waitingProduction();
    const bare = await as('bob', ['reject', id]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("required option '--comment <text>'");
    const blank = await as('bob', ['reject', id, '--comment', '  ']);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toContain('[comment]');

    // WHEN
    const r = await as('bob', ['reject', id, '--comment', 'breaks the billing export']);
    // THEN
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`rejected promotion ${id}`);
    expect(r.stdout).toContain('failed: blocked by two-admins');
    expect(r.stdout).toMatch(/block two-admins \(approval\): rejected by bob \(admin\) .*: breaks the billing export/);
    const why = await as('ann', ['why', 'app', 'production']);
    expect(why.stdout).toContain('gates: blocked by two-admins');
    expect(why.stdout).toMatch(/block two-admins \(approval\): rejected by bob \(admin\) .*breaks the billing export/);
    expect(why.stdout).toContain('to unblock: bob approves it after all, or a newer version is released');
  });

  it('GIVEN a reason WHEN promote runs remotely THEN the reason is the promotion recorded in history', async () => {
    expect((await gantry(['sandbox', 'push', '.'], dir)).code).toBe(0);
    const r = await as('ann', ['promote', 'app', 'staging', '--reason', 'hotfix for ticket OPS-12', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const history = json<{ items: Array<{ reason: string; trigger: { actor?: string } }> }>(
      await as('pat', ['history', 'app', 'staging', '--json']),
    );
    expect(history.items[0]).toMatchObject({ reason: 'hotfix for ticket OPS-12', trigger: { actor: 'ann' } });
    const table = await as('pat', ['history', 'app', 'staging']);
    expect(table.stdout).toMatch(/^ID\s+WHEN\s+PHASE\s+VERSION\s+BY\s+STATE\s+DEPLOYED\s+COMMIT\s+REASON$/m);
    expect(table.stdout).toMatch(/staging .* ann .* hotfix for ticket OPS-12$/m);
  });

  it('GIVEN an unknown promotion id or a malformed digest WHEN approve or why run THEN exit 2 naming what is wrong', async () => {
    const unknown = await as('bob', ['approve', '0b6f9c55-2d2c-4a53-9b55-6f4f7cbbd1a1']);
    expect(unknown.code).toBe(2);
    const notAnId = await as('bob', ['approve', 'latest']);
    expect(notAnId.code).toBe(2);
    expect(notAnId.stderr).toContain('is not a promotion id');
    const digest = await as('bob', ['why', 'app', 'production', '--digest', 'abc']);
    expect(digest.code).toBe(2);
    expect(digest.stderr).toContain('[digest]');
  });
});

describe('approve, reject and why without a server: the data directory store', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;

  beforeAll(async () => {
    root = await tempDir('gantry-cli-gates-local-');
    dir = await gatedSandbox(root.path);
  });
  afterAll(() => root.remove());

  /** Each person is named by their Git identity, as a local promotion records its requester. */
  const as = (who: string, args: string[]) =>
    gantry(args, dir, { GANTRY_AUTHOR_NAME: who, GANTRY_AUTHOR_EMAIL: `${who}@example.com` });

  async function waitingProduction(): Promise<string> {
    expect((await gantry(['sandbox', 'push', '.'], dir)).code).toBe(0);
    const staged = await as('ann', ['promote', 'app', 'staging', '--reason', 'new build for QA']);
    expect(staged.code, staged.stderr).toBe(0);
    // a local promote answers a promotion its gates keep waiting at once, recorded
    const asked = await as('ann', ['promote', 'app', 'production']);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toMatch(/^waiting promotion [0-9a-f-]{36}: app\/production/);
    return idOf(asked);
  }

  it('GIVEN a waiting promotion WHEN two other people approve it here THEN this process promotes it, and history shows it succeeded with its reason upstream', async () => {
    const id = await waitingProduction();
    const why = await gantry(['why', 'app', 'production'], dir);
    expect(why.code, why.stderr).toBe(0);
    expect(why.stdout).toContain('wait  two-admins (approval): 0 of 2 approvals');
    expect(why.stdout).toMatch(new RegExp(`${id}\\s+waiting .* by ann@example.com`));

    const own = await as('ann', ['approve', id]);
    expect(own.stdout).toContain('ann@example.com requested this promotion');
    expect((await as('bob', ['approve', id, '--comment', 'ok'])).stdout).toContain('1 of 2 approvals');
    // WHEN the second approval lets it through THEN it runs here, to its commit
    const last = await as('carl', ['approve', id]);
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toMatch(/promoted: commit [0-9a-f]{12}/);

    const history = json<{ items: Array<{ id: string; phase: string; state: string; reason: string }> }>(
      await gantry(['history', 'app', '--json'], dir),
    );
    expect(history.items.find((p) => p.id === id)).toMatchObject({ state: 'succeeded' });
    expect(history.items.find((p) => p.phase === 'staging')).toMatchObject({ reason: 'new build for QA' });
    // AND it waits for nothing any more: exit 3
    const late = await as('bob', ['approve', id]);
    expect(late.code).toBe(3);
    expect(late.stderr).toContain('[promotion_not_waiting]');
  });

  it('GIVEN a waiting promotion WHEN someone rejects it here THEN it fails, and why --json shows the version blocked by the rejection', async () => {
    const id = await waitingProduction();
    const r = await as('bob', ['reject', id, '--comment', 'not during the audit', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ state: string; error?: { code: string } }>(r)).toMatchObject({
      state: 'failed',
      error: { code: 'promotion_blocked' },
    });
    const why = json<WhyJson>(await gantry(['why', 'app', 'production', '--json'], dir));
    expect(why.gates?.summary.outcome).toBe('block');
    expect(why.gates?.verdicts[0]?.reason).toContain('not during the audit');
    expect(why.unfinished).toEqual([]);
  });
});
