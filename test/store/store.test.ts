import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NewPromotion, Promotion, PromotionChange, Store } from '@gantry/store';
import { IllegalTransitionError, StaleClaimError } from '@gantry/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from './backends.js';
import { backends } from './backends.js';

function request(pipeline: string, phase: string, version: string, extra: Partial<NewPromotion> = {}): NewPromotion {
  const digest = `sha256:${createHash('sha256').update(version).digest('hex')}`;
  return {
    pipeline,
    phase,
    fromPhase: 'staging',
    toDigest: digest,
    toVersion: version,
    target: { kind: 'oci-image', repository: 'registry.test/app', digest, tag: version },
    trigger: { kind: 'person', actor: 'alice' },
    reason: `promote ${version}`,
    ...extra,
  };
}

/** A clock that advances one second per reading, so stored timestamps are distinct and ordered. */
function steppingClock() {
  let t = Date.parse('2030-01-01T00:00:00.000Z');
  return () => {
    t += 1000;
    return new Date(t);
  };
}

/**
 * `count` queued promotions spread over `phases` phases, drained by 4 concurrent workers
 * that each claim, walk a promotion to succeeded, and claim again.
 */
async function claimRace(fx: Fixture, count: number, phases: number): Promise<void> {
  const seed = await fx.open();
  const created: Promotion[] = [];
  for (let i = 0; i < count; i++)
    created.push(await seed.createPromotion(request('web', `phase-${i % phases}`, `1.0.${i}`)));
  // PostgreSQL: four stores are four pools, as four replicas would be. SQLite serves
  // one process, so its workers share one store.
  const stores = fx.replicas ? await Promise.all([1, 2, 3, 4].map(() => fx.open())) : [seed, seed, seed, seed];

  const claimedBy = new Map<string, string>();
  const activeInPhase = new Map<string, string>();
  const claimOrder = new Map<string, string[]>();
  const violations: string[] = [];
  let finished = 0;

  const worker = async (store: Store, owner: string) => {
    while (finished < created.length) {
      const p = await store.claimNextQueued({ owner });
      if (!p) {
        await sleep(2);
        continue;
      }
      if (claimedBy.has(p.id)) violations.push(`${p.id} claimed by ${claimedBy.get(p.id)} and ${owner}`);
      claimedBy.set(p.id, owner);
      const other = activeInPhase.get(p.phase);
      if (other) violations.push(`${p.phase}: ${p.id} claimed while ${other} is active`);
      activeInPhase.set(p.phase, p.id);
      claimOrder.set(p.phase, [...(claimOrder.get(p.phase) ?? []), p.id]);
      if (p.state !== 'running' || p.claimedBy !== owner || p.attempts !== 1)
        violations.push(`bad claim ${JSON.stringify(p)}`);
      await store.transition(p.id, 'committed', { commitSha: `c-${p.id}` });
      await store.transition(p.id, 'pushed');
      // Leave the phase before the final write: once that commits another worker may claim.
      activeInPhase.delete(p.phase);
      await store.transition(p.id, 'succeeded');
      finished++;
    }
  };
  await Promise.all(stores.map((s, i) => worker(s, `worker-${i + 1}`)));

  expect(violations).toEqual([]);
  expect(claimedBy.size).toBe(count);
  expect(await seed.unfinishedPromotions()).toEqual([]);
  expect(await seed.claimNextQueued({ owner: 'late' })).toBeUndefined();
  for (let ph = 0; ph < phases; ph++) {
    const expected = created.filter((p) => p.phase === `phase-${ph}`).map((p) => p.id);
    expect(claimOrder.get(`phase-${ph}`)).toEqual(expected);
  }
  const sample = await seed.getPromotion(created[7]?.id ?? '');
  expect(sample?.events.map((e) => e.state)).toEqual(['queued', 'running', 'committed', 'pushed', 'succeeded']);
}

describe.each(backends)('store on $name', (backend) => {
  let fx: Fixture;
  beforeEach(async () => {
    if (backend.available) fx = await backend.setup();
  });
  afterEach(async () => {
    await fx?.cleanup();
  });

  describe.skipIf(!backend.available)('operations', () => {
    it('GIVEN a fresh database WHEN opened, closed and reopened THEN migrations run once and data survives', async () => {
      const first = await fx.open();
      // every migration, in order (the list grows with each one: the first and the latest are named)
      expect(first.migrationsApplied[0]).toBe('0001_initial');
      expect(first.migrationsApplied).toContain('0011_proposals');
      expect(first.migrationsApplied).toEqual([...first.migrationsApplied].sort());
      const p = await first.createPromotion(request('web', 'prod', '1.0.0'));
      await first.close();
      const second = await fx.open();
      expect(second.migrationsApplied).toEqual([]);
      expect((await second.getPromotion(p.id))?.toVersion).toBe('1.0.0');
    });

    it('GIVEN replicas starting together WHEN they open the same database THEN exactly one applies the migrations', async () => {
      if (!fx.replicas) return;
      const stores = await Promise.all([fx.open(), fx.open(), fx.open()]);
      const applied = stores.flatMap((s) => s.migrationsApplied);
      // one store applied them all, none twice
      expect(applied).toContain('0011_proposals');
      expect(stores.filter((s) => s.migrationsApplied.length > 0)).toHaveLength(1);
      expect(new Set(applied).size).toBe(applied.length);
    });

    it('GIVEN a promotion WHEN it goes through every state THEN get returns it with its events in order', async () => {
      const store = await fx.open({ now: steppingClock() });
      const created = await store.createPromotion(
        request('web', 'prod', '1.2.0', { trigger: { kind: 'webhook', source: 'registry', event: 'e-1' } }),
      );
      expect(created).toMatchObject({ state: 'queued', attempts: 0, pipeline: 'web', phase: 'prod' });
      await store.transition(created.id, 'running');
      await store.transition(created.id, 'committed', { commitSha: 'abc123', detail: { branch: 'main' } });
      await store.transition(created.id, 'pushed');
      const done = await store.transition(created.id, 'succeeded');
      expect(done).toMatchObject({ state: 'succeeded', commitSha: 'abc123' });

      const got = await store.getPromotion(created.id);
      expect(got).toMatchObject({
        id: created.id,
        fromPhase: 'staging',
        toVersion: '1.2.0',
        trigger: { kind: 'webhook', source: 'registry', event: 'e-1' },
        target: { kind: 'oci-image', tag: '1.2.0' },
        commitSha: 'abc123',
        createdAt: created.createdAt,
      });
      expect(got?.error).toBeUndefined();
      expect(got?.events.map((e) => e.state)).toEqual(['queued', 'running', 'committed', 'pushed', 'succeeded']);
      const times = got?.events.map((e) => e.at) ?? [];
      expect([...times].sort()).toEqual(times);
      expect(new Set(times).size).toBe(times.length);
      expect(got?.events[2]?.detail).toEqual({ branch: 'main', commitSha: 'abc123' });
      expect(got?.updatedAt).toBe(times.at(-1));
    });

    it('GIVEN a failure WHEN recorded THEN the error is kept on the record and its event', async () => {
      const store = await fx.open();
      const p = await store.createPromotion(request('web', 'prod', '2.0.0'));
      await store.transition(p.id, 'running');
      const failed = await store.transition(p.id, 'failed', { error: { code: 'push_rejected', message: 'no' } });
      expect(failed.error).toEqual({ code: 'push_rejected', message: 'no' });
      expect((await store.getPromotion(p.id))?.events.at(-1)?.detail).toEqual({
        error: { code: 'push_rejected', message: 'no' },
      });
    });

    it('GIVEN a queued promotion WHEN moved to an illegal state THEN it is refused and nothing changes', async () => {
      const store = await fx.open();
      const p = await store.createPromotion(request('web', 'prod', '1.0.0'));
      const refused = await store.transition(p.id, 'pushed').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(IllegalTransitionError);
      expect(refused).toMatchObject({ code: 'illegal_transition', context: { from: 'queued', to: 'pushed' } });
      await store.transition(p.id, 'superseded');
      await expect(store.transition(p.id, 'running')).rejects.toMatchObject({ code: 'illegal_transition' });
      const got = await store.getPromotion(p.id);
      expect(got?.state).toBe('superseded');
      expect(got?.events.map((e) => e.state)).toEqual(['queued', 'superseded']);
      await expect(store.transition('6f1c1a50-0000-4000-8000-000000000000', 'running')).rejects.toMatchObject({
        code: 'unknown_promotion',
      });
    });

    it('GIVEN two stores WHEN they race to settle one promotion THEN exactly one wins and one event is recorded', async () => {
      const a = await fx.open();
      const b = fx.replicas ? await fx.open() : a;
      for (let round = 0; round < 5; round++) {
        const p = await a.createPromotion(request('web', `race-${round}`, '1.0.0'));
        await a.claimNextQueued({ owner: 'a' });
        const results = await Promise.allSettled([
          a.transition(p.id, 'committed', { commitSha: 'from-a' }),
          b.transition(p.id, 'committed', { commitSha: 'from-b' }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const lost = results.find((r) => r.status === 'rejected');
        expect(lost?.status === 'rejected' && lost.reason).toMatchObject({ code: 'illegal_transition' });
        const got = await a.getPromotion(p.id);
        const winner = results.find((r) => r.status === 'fulfilled');
        expect(got?.commitSha).toBe(winner?.status === 'fulfilled' && winner.value.commitSha);
        expect(got?.events.map((e) => e.state)).toEqual(['queued', 'running', 'committed']);
      }
    });

    it('GIVEN a promotion re-queued and claimed again WHEN the first claim settles it THEN stale_claim, and the new claim goes on', async () => {
      const store = await fx.open();
      const p = await store.createPromotion(request('web', 'cas', '1.0.0'));
      const first = await store.claimNextQueued({ owner: 'a' });
      expect(first?.attempts).toBe(1);
      // recovery judged claim 1 dead and put it back; claim 2 picked it up
      await store.transition(p.id, 'queued', { ifAttempt: 1 });
      const second = await store.claimNextQueued({ owner: 'b' });
      expect(second).toMatchObject({ id: p.id, attempts: 2 });

      const stale = await store.transition(p.id, 'succeeded', { ifAttempt: 1 }).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(StaleClaimError);
      expect(stale).toMatchObject({ code: 'stale_claim', context: { id: p.id, attempt: 1, current: 2 } });
      await store.transition(p.id, 'committed', { ifAttempt: 2, commitSha: 'abc' });
      const got = await store.getPromotion(p.id);
      expect(got?.state).toBe('committed');
      expect(got?.events.map((e) => e.state)).toEqual(['queued', 'running', 'queued', 'running', 'committed']);
    });

    it('GIVEN bad input WHEN creating a promotion THEN a validation error names the field', async () => {
      const store = await fx.open();
      const bad = { ...request('web', 'prod', '1.0.0'), trigger: { kind: 'person' } } as unknown as NewPromotion;
      await expect(store.createPromotion(bad)).rejects.toMatchObject({
        code: 'invalid_definition',
        issues: [expect.objectContaining({ path: 'trigger.actor' })],
      });
    });

    it('GIVEN many promotions WHEN paged newest first while more arrive THEN pages are stable and complete', async () => {
      const store = await fx.open();
      const prod: Promotion[] = [];
      for (let i = 0; i < 25; i++) {
        prod.push(await store.createPromotion(request('web', 'prod', `1.0.${i}`)));
        if (i % 5 === 0) await store.createPromotion(request('web', 'staging', `1.0.${i}`));
      }
      await store.createPromotion(request('api', 'prod', '9.9.9'));

      const page1 = await store.listPromotions({ pipeline: 'web', phase: 'prod', limit: 10 });
      expect(page1.items).toHaveLength(10);
      expect(page1.nextCursor).toBeDefined();
      await store.createPromotion(request('web', 'prod', '2.0.0'));
      const page2 = await store.listPromotions({ pipeline: 'web', phase: 'prod', limit: 10, cursor: page1.nextCursor });
      const page3 = await store.listPromotions({ pipeline: 'web', phase: 'prod', limit: 10, cursor: page2.nextCursor });
      expect(page3.items).toHaveLength(5);
      expect(page3.nextCursor).toBeUndefined();
      const seen = [...page1.items, ...page2.items, ...page3.items].map((p) => p.id);
      expect(seen).toEqual(prod.map((p) => p.id).reverse());

      const all = await store.listPromotions({ pipeline: 'web', limit: 500 });
      expect(all.items).toHaveLength(31);
      expect(all.items[0]?.toVersion).toBe('2.0.0');
      await expect(store.listPromotions({ pipeline: 'web', cursor: 'bogus' })).rejects.toMatchObject({
        code: 'invalid_cursor',
      });
    });

    it('GIVEN promotions in every state WHEN asking for unfinished ones THEN only queued and active come back, oldest first', async () => {
      const store = await fx.open();
      const ids: Record<string, string> = {};
      for (const [phase, path] of Object.entries({
        a: [],
        b: ['running'],
        c: ['running', 'committed'],
        d: ['running', 'committed', 'pushed'],
        e: ['running', 'committed', 'pushed', 'succeeded'],
        f: ['failed'],
        g: ['superseded'],
      } as const)) {
        const p = await store.createPromotion(request('web', phase, '1.0.0'));
        for (const s of path) await store.transition(p.id, s);
        ids[phase] = p.id;
      }
      const unfinished = await store.unfinishedPromotions();
      expect(unfinished.map((p) => p.phase)).toEqual(['a', 'b', 'c', 'd']);
      expect(unfinished.map((p) => p.state)).toEqual(['queued', 'running', 'committed', 'pushed']);
    });

    it('GIVEN claims of a store WHEN it is alive and then closed THEN only after closing are they orphaned', async () => {
      const a = await fx.open();
      const p1 = await a.createPromotion(request('web', 'x', '1'));
      const p2 = await a.createPromotion(request('web', 'y', '1'));
      await a.createPromotion(request('web', 'z', '1'));
      expect((await a.claimNextQueued({ owner: 'a' }))?.id).toBe(p1.id);
      expect((await a.claimNextQueued({ owner: 'a' }))?.id).toBe(p2.id);
      await a.transition(p1.id, 'committed', { commitSha: 'abc' });
      expect(await a.orphanedPromotions()).toEqual([]);
      if (fx.replicas) expect(await (await fx.open()).orphanedPromotions()).toEqual([]);
      await a.close();
      const survivor = await fx.open();
      const orphans = await survivor.orphanedPromotions();
      expect(orphans.map((p) => [p.id, p.state, p.claimedBy])).toEqual([
        [p1.id, 'committed', 'a'],
        [p2.id, 'running', 'a'],
      ]);
      await survivor.transition(p2.id, 'failed', { error: { code: 'interrupted', message: 'replica died' } });
      expect((await survivor.orphanedPromotions()).map((p) => p.id)).toEqual([p1.id]);
    });

    it('GIVEN 50 queued promotions over 5 phases WHEN 4 workers claim concurrently THEN each runs exactly once, one at a time per phase, oldest first', async () => {
      await claimRace(fx, 50, 5);
    });

    it('GIVEN 40 queued promotions in 2 contended phases WHEN 4 workers claim concurrently THEN never two run at once in a phase', async () => {
      await claimRace(fx, 40, 2);
    });

    it('GIVEN a running promotion in a phase WHEN claiming THEN that phase is skipped and another is served', async () => {
      const store = await fx.open();
      const a1 = await store.createPromotion(request('web', 'a', '1'));
      await store.createPromotion(request('web', 'a', '2'));
      const b1 = await store.createPromotion(request('web', 'b', '1'));
      expect((await store.claimNextQueued({ owner: 'w' }))?.id).toBe(a1.id);
      expect((await store.claimNextQueued({ owner: 'w' }))?.id).toBe(b1.id);
      expect(await store.claimNextQueued({ owner: 'w' })).toBeUndefined();
    });

    it('GIVEN older queued promotions WHEN a newer one supersedes them THEN only the older queued ones of that phase are superseded', async () => {
      const store = await fx.open();
      const running = await store.createPromotion(request('web', 'prod', '0.9.0'));
      await store.claimNextQueued({ owner: 'w' });
      const q1 = await store.createPromotion(request('web', 'prod', '1.0.0'));
      const q2 = await store.createPromotion(request('web', 'prod', '1.1.0'));
      const other = await store.createPromotion(request('web', 'staging', '1.1.0'));
      const newest = await store.createPromotion(request('web', 'prod', '1.2.0'));
      const newer = await store.createPromotion(request('web', 'prod', '1.3.0'));

      const superseded = await store.supersedeQueued('web', 'prod', newest.id);
      expect(superseded).toEqual([q1.id, q2.id]);
      const state = async (p: Promotion) => (await store.getPromotion(p.id))?.state;
      expect(await state(q1)).toBe('superseded');
      expect(await state(q2)).toBe('superseded');
      expect(await state(newest)).toBe('queued');
      expect(await state(newer)).toBe('queued');
      expect(await state(other)).toBe('queued');
      expect(await state(running)).toBe('running');
      expect((await store.getPromotion(q1.id))?.events.at(-1)).toMatchObject({
        state: 'superseded',
        detail: { supersededBy: newest.id },
      });
      expect(await store.supersedeQueued('web', 'prod', newest.id)).toEqual([]);
    });

    it('GIVEN a created token WHEN verified, listed and revoked THEN only its hash is ever stored', async () => {
      const store = await fx.open();
      const { token, record } = await store.createToken({ name: 'ci', role: 'promoter' });
      expect(token).toMatch(/^gty_[A-Za-z0-9_-]{43}$/);
      expect(record).toMatchObject({ name: 'ci', role: 'promoter' });
      expect(await store.verifyToken(token)).toEqual(record);
      expect(await store.verifyToken(`${token}x`)).toBeUndefined();
      expect(await store.verifyToken('not-a-token')).toBeUndefined();

      const dump = await fx.dump();
      expect(dump).toContain(createHash('sha256').update(token).digest('hex'));
      expect(dump).not.toContain(token.slice(4));

      const { token: other } = await store.createToken({ name: 'ops', role: 'admin' });
      expect(await store.revokeToken(record.id)).toBe(true);
      expect(await store.revokeToken(record.id)).toBe(false);
      expect(await store.verifyToken(token)).toBeUndefined();
      expect((await store.verifyToken(other))?.role).toBe('admin');
      const listed = await store.listTokens();
      expect(listed.map((t) => [t.name, t.revokedAt !== undefined])).toEqual([
        ['ci', true],
        ['ops', false],
      ]);
      await expect(store.createToken({ name: 'x', role: 'root' as 'admin' })).rejects.toMatchObject({
        code: 'invalid_definition',
      });
    });

    it('GIVEN audit records WHEN listed THEN they come newest first in pages', async () => {
      const store = await fx.open();
      for (const action of ['token.create', 'promote', 'token.revoke']) {
        await store.recordAudit({ actor: 'alice', action, subject: 'web/prod', detail: { n: action.length } });
      }
      const first = await store.listAudit({ limit: 2 });
      expect(first.items.map((e) => e.action)).toEqual(['token.revoke', 'promote']);
      expect(first.items[1]?.detail).toEqual({ n: 7 });
      const rest = await store.listAudit({ limit: 2, cursor: first.nextCursor });
      expect(rest.items.map((e) => e.action)).toEqual(['token.create']);
      expect(rest.nextCursor).toBeUndefined();
    });

    it('GIVEN a listener on another store WHEN a promotion moves THEN it hears each committed change in order', async () => {
      const writer = await fx.open();
      const reader = await fx.open();
      const heard: PromotionChange[] = [];
      let wake = () => {};
      const unsubscribe = await reader.onPromotionChange((c) => {
        heard.push(c);
        wake();
      });
      const p = await writer.createPromotion(request('web', 'prod', '1.0.0'));
      await writer.claimNextQueued({ owner: 'w' });
      await expect(writer.transition(p.id, 'pushed')).rejects.toMatchObject({ code: 'illegal_transition' });
      await writer.transition(p.id, 'committed', { commitSha: 'abc' });
      while (heard.length < 3) await new Promise<void>((r) => (wake = r));
      expect(heard.map((c) => c.state)).toEqual(['queued', 'running', 'committed']);
      expect(heard.every((c) => c.id === p.id && c.pipeline === 'web' && c.phase === 'prod')).toBe(true);
      expect(heard[2]?.at).toBe((await writer.getPromotion(p.id))?.updatedAt);
      unsubscribe();
    });

    // SQLite: leadership is a file lock beside the database, so processes sharing a data directory take turns too
    it('GIVEN two stores WHEN both seek leadership THEN one leads until it closes, then the other', async () => {
      const a = await fx.open();
      const b = await fx.open();
      expect(await a.tryAcquireLeadership('scheduler')).toBe(true);
      expect(await a.tryAcquireLeadership('scheduler')).toBe(true);
      expect(await b.tryAcquireLeadership('scheduler')).toBe(false);
      expect(await b.tryAcquireLeadership('other-duty')).toBe(true);
      await a.releaseLeadership('scheduler');
      expect(await b.tryAcquireLeadership('scheduler')).toBe(true);
      expect(await a.tryAcquireLeadership('scheduler')).toBe(false);
      await b.close();
      expect(await a.tryAcquireLeadership('scheduler')).toBe(true);
    });
  });
});
