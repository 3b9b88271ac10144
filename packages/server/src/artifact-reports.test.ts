import type { System } from '@gantry/core';
import type { Registries, Registry } from '@gantry/oci';
import type { Store } from '@gantry/store';
import { openStore } from '@gantry/store';
import { afterEach, describe, expect, it } from 'vitest';
import { createArtifactReports } from './artifact-reports.js';
import type { GantryEvent } from './events.js';
import { createEventBus } from './events.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;

/** One registry at `reg.example.com` whose manifest answers when the test says so. */
function slowRegistry() {
  let answer: (ok: boolean) => void = () => undefined;
  const asked = new Promise<boolean>((resolve) => {
    answer = resolve;
  });
  const registry = {
    name: 'reg',
    host: 'reg.example.com',
    manifest: async () => {
      if (!(await asked)) throw Object.assign(new Error('gone'), { code: 'registry_unreachable' });
      return { kind: 'manifest', digest: DIGEST };
    },
  } as unknown as Registry;
  const registries = { get: () => registry, names: () => ['reg'] } as unknown as Registries;
  return { registries, answer: (ok: boolean) => answer(ok) };
}

describe('a report the registry answers late', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
  });

  it('GIVEN a registry slower than the report waits THEN recorded unverified at once, verified when the answer comes, announced', async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    const bus = createEventBus();
    const events: GantryEvent[] = [];
    bus.subscribe((e) => events.push(e));
    const slow = slowRegistry();
    const reports = createArtifactReports({
      system: { pipelines: [] } as unknown as System,
      store,
      bus,
      registries: slow.registries,
      answerWithinMs: 20,
    });
    const r = await reports.report(
      { image: 'reg.example.com/app', digest: DIGEST, source: { commit: 'abcdef1' } },
      { name: 'ci', role: 'ci' },
    );
    expect(r.artifact).toMatchObject({
      verified: false,
      unverifiedReason: expect.stringContaining('not answered yet'),
    });
    slow.answer(true);
    for (let i = 0; i < 100 && !(await store.getArtifact(r.artifact.id))?.verified; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const later = await store.getArtifact(r.artifact.id);
    expect(later).toMatchObject({ verified: true, source: { commit: 'abcdef1' } });
    expect(later?.unverifiedReason).toBeUndefined();
    expect(events.map((e) => (e.type === 'artifact' ? e.artifact.verified : e.type))).toEqual([false, true]);
  });

  it('GIVEN an earlier check still unanswered after the wait WHEN another report comes THEN it is recorded at once as behind, and both are verified when the registry answers', async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    const slow = slowRegistry();
    const reports = createArtifactReports({
      system: { pipelines: [] } as unknown as System,
      store,
      bus: createEventBus(),
      registries: slow.registries,
      answerWithinMs: 20,
    });
    const first = await reports.report(
      { image: 'reg.example.com/app', digest: DIGEST, source: { commit: 'abcdef1' } },
      { name: 'ci', role: 'ci' },
    );
    expect(first.artifact.unverifiedReason).not.toContain('behind');
    const other = `sha256:${'d'.repeat(64)}`;
    const second = await reports.report(
      { image: 'reg.example.com/app', digest: other, source: { commit: 'abcdef2' } },
      { name: 'ci', role: 'ci' },
    );
    expect(second.artifact).toMatchObject({ verified: false, unverifiedReason: expect.stringContaining('behind') });
    slow.answer(true);
    const verified = async () =>
      (await store?.getArtifact(first.artifact.id))?.verified &&
      (await store?.getArtifact(second.artifact.id))?.verified;
    for (let i = 0; i < 100 && !(await verified()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await verified()).toBe(true);
  });

  it('GIVEN as many checks queued for a registry as it may hold WHEN another report comes THEN it is recorded at once as behind, before any check is old, and all are verified when the registry answers', async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    const slow = slowRegistry();
    const reports = createArtifactReports({
      system: { pipelines: [] } as unknown as System,
      store,
      bus: createEventBus(),
      registries: slow.registries,
      // the first report would wait a minute for its check: only the queue can tell
      answerWithinMs: 60_000,
      laneDepth: 1,
    });
    const by = { name: 'ci', role: 'ci' } as const;
    const first = reports.report({ image: 'reg.example.com/app', digest: DIGEST, source: { commit: 'abcdef1' } }, by);
    const other = `sha256:${'d'.repeat(64)}`;
    const second = await reports.report(
      { image: 'reg.example.com/app', digest: other, source: { commit: 'abcdef2' } },
      by,
    );
    expect(second.artifact).toMatchObject({ verified: false, unverifiedReason: expect.stringContaining('behind') });
    slow.answer(true);
    // the first waited for its own check: verified when recorded
    await expect(first).resolves.toMatchObject({ artifact: { verified: true } });
    for (let i = 0; i < 100 && !(await store.getArtifact(second.artifact.id))?.verified; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await store.getArtifact(second.artifact.id))?.verified).toBe(true);
  });
});

/** One registry at `reg.example.com` that holds every digest, answering each ask when the test releases them; it counts asks per digest. */
function countingRegistry() {
  const asks = new Map<string, number>();
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const registry = {
    name: 'reg',
    host: 'reg.example.com',
    manifest: async (_repository: string, digest: string) => {
      asks.set(digest, (asks.get(digest) ?? 0) + 1);
      await released;
      return { kind: 'manifest', digest };
    },
  } as unknown as Registry;
  const registries = { get: () => registry, names: () => ['reg'] } as unknown as Registries;
  return { registries, asks, release: () => release() };
}

const digestOf = (c: string) => `sha256:${c.repeat(64)}`;

async function until(done: () => Promise<boolean>) {
  for (let i = 0; i < 200 && !(await done()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return done();
}

describe('registry checks in a burst', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
  });
  const by = { name: 'ci', role: 'ci' } as const;

  it('GIVEN reports of one build while its check is under way THEN the registry is asked once, and the artifact is verified when it answers', async () => {
    const s = await openStore({ sqlitePath: ':memory:' });
    store = s;
    const reg = countingRegistry();
    const reports = createArtifactReports({
      system: { pipelines: [] } as unknown as System,
      store: s,
      bus: createEventBus(),
      registries: reg.registries,
      answerWithinMs: 20,
    });
    const body = { image: 'reg.example.com/app', digest: digestOf('e'), source: { commit: 'abcdef1' } };
    const first = await reports.report(body, by);
    await reports.report({ ...body, steps: [{ name: 'build', status: 'succeeded' }] }, by);
    await reports.report({ ...body, steps: [{ name: 'test', status: 'running' }] }, by);
    expect(reg.asks.get(digestOf('e'))).toBe(1);
    reg.release();
    expect(await until(async () => (await s.getArtifact(first.artifact.id))?.verified === true)).toBe(true);
    expect(reg.asks.get(digestOf('e'))).toBe(1);
    expect((await s.getArtifact(first.artifact.id))?.steps.map((x) => x.name)).toEqual(['build', 'test']);
  });

  it('GIVEN a lane with as many checks queued as it may hold WHEN more builds are reported THEN they are recorded unverified without asking, asked as room frees, and all end verified', async () => {
    const s = await openStore({ sqlitePath: ':memory:' });
    store = s;
    const reg = countingRegistry();
    const reports = createArtifactReports({
      system: { pipelines: [] } as unknown as System,
      store: s,
      bus: createEventBus(),
      registries: reg.registries,
      answerWithinMs: 20,
      checkQueue: 2,
    });
    const digests = ['1', '2', '3', '4', '5'].map(digestOf);
    const recorded: Awaited<ReturnType<typeof reports.report>>[] = [];
    for (const [i, digest] of digests.entries())
      recorded.push(await reports.report({ image: 'reg.example.com/app', digest, source: { commit: `abc${i}` } }, by));
    // only the first two reached the registry; the rest wait their turn outside its queue
    expect([...reg.asks.keys()]).toEqual(digests.slice(0, 2));
    for (const r of recorded.slice(2))
      expect(r.artifact).toMatchObject({ verified: false, unverifiedReason: expect.stringContaining('busy') });
    // a replay of a waiting build changes nothing and joins its turn rather than queueing another
    const replay = await reports.report(
      { image: 'reg.example.com/app', digest: digests[4] as string, source: { commit: 'abc4' } },
      by,
    );
    expect(replay.outcome).toBe('unchanged');
    reg.release();
    const all = async () => {
      const now = await Promise.all(recorded.map((r) => s.getArtifact(r.artifact.id)));
      return now.every((a) => a?.verified === true);
    };
    expect(await until(all)).toBe(true);
    expect(digests.map((d) => reg.asks.get(d))).toEqual([1, 1, 1, 1, 1]);
  });
});
