import { execFileSync } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import type { Runtime } from '@gantry/config';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import type { GantryEvent, RunningServer } from '@gantry/server';
import { startServer } from '@gantry/server';
import type { Promotion } from '@gantry/store';
import { openStore } from '@gantry/store';
import { hasPostgres, postgresSchema, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { until } from './until.js';

const pgUp = await hasPostgres();

interface Replica {
  readonly runtime: Runtime;
  readonly server: RunningServer;
  api(path: string, token: string, init?: { method?: string; json?: unknown }): Promise<Response>;
}

/** One replica: the sandbox's configuration on the shared database, with a data directory (clones) of its own. */
async function replica(dir: string, databaseUrl: string, name: string): Promise<Replica> {
  const runtime = await openRuntime({
    cwd: dir,
    env: { GANTRY_DATABASE_URL: databaseUrl, GANTRY_DATA_DIR: join(dir, `data-${name}`) },
    logger: silentLogger,
  });
  const server = await startServer({ runtime, listen: false, replica: name });
  return {
    runtime,
    server,
    api: (path, token, init = {}) =>
      Promise.resolve(
        server.app.request(path, {
          method: init.method ?? 'GET',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
        }),
      ),
  };
}

/** Stops the replicas' servers, then their runtimes (clones, registries). */
async function closeReplicas(...replicas: readonly Replica[]): Promise<void> {
  for (const r of replicas) await r.server.close();
  for (const r of replicas) await r.runtime.close();
}

/** The commits on the production file carrying this promotion's id (its `Gantry-Promotion-Id` trailer). */
function commitsOf(bare: string, id: string): number {
  const log = execFileSync('git', ['log', '--format=%B%x00', 'main', '--', 'env/production/deployment.yaml'], {
    cwd: bare,
    encoding: 'utf8',
  });
  return log.split('\0').filter((m) => m.includes(`Gantry-Promotion-Id: ${id}`)).length;
}

describe.skipIf(!pgUp)('gates across replicas on PostgreSQL', () => {
  it('GIVEN a promotion waiting for approval on replica A WHEN the approval is given through replica B, while A judges its waiting promotions too THEN it is released and runs exactly once, and A tells its watchers', async () => {
    await using tmp = await tempDir('gantry-gates-replicas-');
    await using db = await postgresSchema();
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    const file = join(dir, 'gantry.yaml');
    const yaml = (await readFile(file, 'utf8')).replace(
      '        message: "release {{version}} to production"\n',
      `        message: "release {{version}} to production"
        gates:
          - { kind: approval, name: one-admin, count: 1, roles: [admin] }
`,
    );
    expect(yaml).toContain('one-admin');
    await writeFile(file, `${yaml}server:\n  schedules: []\n`);
    // tokens first, in the shared database: both replicas start with access control on
    const tokens: Record<string, string> = {};
    {
      const store = await openStore({ databaseUrl: db.url, logger: silentLogger });
      for (const [name, role] of [
        ['pat', 'promoter'],
        ['bob', 'admin'],
      ] as const)
        tokens[name] = (await store.createToken({ name, role })).token;
      await store.close();
    }
    const a = await replica(dir, db.url, 'a');
    const b = await replica(dir, db.url, 'b');
    try {
      const seenOnA: GantryEvent[] = [];
      const unsubscribe = a.server.deps.bus.subscribe((e) => seenOnA.push(e));
      // GIVEN staging holds a new version, and pat asks replica A for production
      await pushSandboxImage(dir);
      const staged = await a.api('/api/v1/pipelines/app/phases/staging/promotions', tokens.pat as string, {
        method: 'POST',
        json: {},
      });
      expect(staged.status).toBe(202);
      await a.server.deps.promotions.idle();
      const asked = await a.api('/api/v1/pipelines/app/phases/production/promotions', tokens.pat as string, {
        method: 'POST',
        json: {},
      });
      expect(asked.status).toBe(202);
      const { promotion } = (await asked.json()) as { promotion: Promotion };
      expect(promotion.state).toBe('waiting');
      // replica B sees it waiting, with why
      const whyOnB = (await (
        await b.api('/api/v1/pipelines/app/phases/production/why', tokens.bob as string)
      ).json()) as { unfinished: Promotion[] };
      expect(whyOnB.unfinished.map((p) => [p.id, p.state])).toEqual([[promotion.id, 'waiting']]);

      // WHEN bob approves through replica B, while replica A judges its waiting promotions at the same moment
      const [approved] = await Promise.all([
        b.api(`/api/v1/promotions/${promotion.id}/approve`, tokens.bob as string, {
          method: 'POST',
          json: { comment: 'ship it' },
        }),
        a.server.deps.promotions.reconsider(),
        a.server.deps.promotions.reconsider(),
      ]);
      expect(approved.status).toBe(200);
      expect(((await approved.json()) as Promotion).state).not.toBe('waiting');

      // THEN it runs, on whichever replica claimed it, and settles once
      await Promise.all([a.server.deps.promotions.idle(), b.server.deps.promotions.idle()]);
      const done = await until(async () => {
        const p = await a.server.store.getPromotion(promotion.id);
        return p?.state === 'succeeded' || p?.state === 'failed' ? p : undefined;
      }, 'the approved promotion to settle');
      expect(done.state).toBe('succeeded');
      expect(done.attempts).toBe(1);
      expect(done.gates?.[0]).toMatchObject({ gate: 'one-admin', outcome: 'pass', reason: 'approved by bob (admin)' });
      // exactly one commit carries it, and no second promotion of that version was made
      expect(commitsOf(join(dir, 'config.git'), promotion.id)).toBe(1);
      const production = await b.server.store.listPromotions({ pipeline: 'app', phase: 'production' });
      expect(production.items.map((p) => [p.id, p.state])).toEqual([[promotion.id, 'succeeded']]);
      // the history records one way out of waiting
      const detail = (await (await b.api(`/api/v1/promotions/${promotion.id}`, tokens.bob as string)).json()) as {
        events: Array<{ state: string }>;
      };
      expect(detail.events.filter((e) => e.state === 'queued')).toHaveLength(1);
      // and replica A, where it was asked for, told its watchers it moved on (the change feed)
      await until(
        async () =>
          seenOnA.some(
            (e) => e.type === 'promotion' && e.promotion.id === promotion.id && e.promotion.state === 'succeeded',
          )
            ? true
            : undefined,
        "replica A's event for the settled promotion",
      );
      // the approval is in the audit log, by bob
      const audit = await a.server.store.listAudit({ limit: 50 });
      expect(audit.items.filter((x) => x.action === 'approve').map((x) => x.actor)).toEqual(['bob']);
      unsubscribe();
    } finally {
      await closeReplicas(b, a);
    }
  }, 120_000);

  it('GIVEN two replicas WHEN a phase is pinned and released and an artifact reported through replica B THEN replica A tells its watchers of each, as B does', async () => {
    await using tmp = await tempDir('gantry-holds-replicas-');
    await using db = await postgresSchema();
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    await appendFile(join(dir, 'gantry.yaml'), 'server:\n  schedules: []\n');
    const tokens: Record<string, string> = {};
    {
      const store = await openStore({ databaseUrl: db.url, logger: silentLogger });
      for (const role of ['admin', 'ci'] as const) tokens[role] = (await store.createToken({ name: role, role })).token;
      await store.close();
    }
    const a = await replica(dir, db.url, 'a');
    const b = await replica(dir, db.url, 'b');
    try {
      const seen: Record<'a' | 'b', GantryEvent[]> = { a: [], b: [] };
      const stop = [
        a.server.deps.bus.subscribe((e) => seen.a.push(e)),
        b.server.deps.bus.subscribe((e) => seen.b.push(e)),
      ];
      const digest = await pushSandboxImage(dir);
      // WHEN
      const pinned = await b.api('/api/v1/pipelines/app/phases/production/pin', tokens.admin as string, {
        method: 'POST',
        json: { reason: 'freeze for the audit' },
      });
      expect(pinned.status).toBe(201);
      const pin = (await pinned.json()) as { id: string };
      const unpinned = await b.api('/api/v1/pipelines/app/phases/production/pin', tokens.admin as string, {
        method: 'DELETE',
        json: {},
      });
      expect(unpinned.status).toBe(200);
      const reported = await b.api('/api/v1/artifacts', tokens.ci as string, {
        method: 'POST',
        json: { image: 'localhost:5000/app', digest, source: { commit: 'a'.repeat(40), branch: 'main' } },
      });
      expect(reported.status).toBe(201);
      const { artifact } = (await reported.json()) as { artifact: { id: string } };
      // THEN both replicas' streams carry the pin set, its release and the report, once each
      const told = (events: GantryEvent[]) =>
        events.flatMap((e) =>
          e.type === 'hold'
            ? [`hold ${e.hold.id} ${e.change}${e.change === 'set' ? ` ${e.hold.reason}` : ''}`]
            : e.type === 'artifact'
              ? [`artifact ${e.artifact.id} ${e.outcome}`]
              : [],
        );
      const expected = [
        `hold ${pin.id} set freeze for the audit`,
        `hold ${pin.id} released`,
        `artifact ${artifact.id} created`,
      ];
      await until(async () => (told(seen.a).length >= 3 ? true : undefined), "replica A's events for B's writes");
      expect(told(seen.a)).toEqual(expected);
      expect(told(seen.b)).toEqual(expected);
      for (const off of stop) off();
    } finally {
      await closeReplicas(b, a);
    }
  }, 120_000);
});
