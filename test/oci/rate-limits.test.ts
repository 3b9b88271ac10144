import type { RateLimitNotice, RequestBudget } from '@gantry/oci';
import { createRegistryClient, createRequestBudget, withCachedReads } from '@gantry/oci';
import type { RateLimitingProxy, TestRegistry, VirtualClock } from '@gantry/testing';
import { createVirtualClock, hasTool, pushTestImage, startRateLimitingProxy, startRegistry } from '@gantry/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from './helpers.js';

const REPOS = ['team/a', 'team/b', 'team/c', 'team/d', 'team/e', 'team/f'];

/** Runs `p` to the end, moving the virtual clock to the next sleeper whenever it waits. */
async function drive<T>(clock: VirtualClock, p: Promise<T>): Promise<T> {
  let done = false;
  void p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  while (!done) if (!(await clock.next())) await new Promise((r) => setTimeout(r, 2));
  return p;
}

/** A budget that records, by the virtual clock, when each request was let through. */
function recordingBudget(clock: VirtualClock, rps: number, concurrency: number) {
  const inner = createRequestBudget({ requestsPerSecond: rps, concurrency }, clock);
  const sent: number[] = [];
  const budget: RequestBudget = {
    limits: inner.limits,
    get waiting() {
      return inner.waiting;
    },
    pause: (until) => inner.pause(until),
    pausedUntil: () => inner.pausedUntil(),
    run: (task, o) =>
      inner.run(() => {
        sent.push(clock.now());
        return task();
      }, o),
  };
  return { budget, sent };
}

function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i++) {
    let n = 0;
    for (let j = i; j < sorted.length && (sorted[j] as number) < (sorted[i] as number) + 1000; j++) n++;
    most = Math.max(most, n);
  }
  return most;
}

describe.skipIf(!hasTool('docker-registry'))('a registry that rate-limits', () => {
  let registry: TestRegistry;
  const digests: Record<string, string> = {};
  let proxy: RateLimitingProxy | undefined;

  beforeAll(async () => {
    registry = await startRegistry();
    for (const repo of REPOS) digests[repo] = await pushTestImage(registry.url, repo, 'v1', { labels: { repo } });
  }, 60_000);
  afterAll(async () => {
    await registry?.stop();
  });
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });

  it.each([
    ['delay-seconds', 2, 2000],
    // an HTTP date has whole seconds: up to 1 s of the wait may fall before it
    ['an HTTP date', { dateIn: 3 }, 2000],
  ] as const)(
    'GIVEN every third request answered 429 with Retry-After as %s WHEN 6 tags and 6 tag lists are read at once THEN every answer is right, each refused request is sent again no earlier than Retry-After says, and no second holds more than the budget',
    async (_kind, retryAfter, atLeast) => {
      const clock = createVirtualClock();
      const p = await startRateLimitingProxy(registry.url, { refuse: (n) => n % 3 === 0, retryAfter, now: clock.now });
      proxy = p;
      const { budget, sent } = recordingBudget(clock, 4, 2);
      const notices: RateLimitNotice[] = [];
      const client = createRegistryClient(
        { url: p.url },
        { name: 'limited', budget, clock, random: () => 0.5, onRateLimited: (n) => notices.push(n) },
      );
      const results = await drive(
        clock,
        Promise.all(REPOS.map(async (repo) => [await client.resolve(repo, 'v1'), await client.tags(repo)] as const)),
      );
      // THEN no answer is lost to the refusals
      expect(results).toEqual(REPOS.map((repo) => [digests[repo], ['v1']]));
      const { refused, total } = p.counts();
      expect(refused).toBeGreaterThanOrEqual(3);
      expect(total).toBe(12 + refused);
      expect(notices.length).toBe(refused);
      expect(notices.every((n) => n.registry === 'limited' && n.status === 429)).toBe(true);
      // each refused request is sent again, and not before the registry said
      for (const [i, r] of p.requests.entries()) {
        if (r.status !== 429) continue;
        const again = p.requests.slice(i + 1).find((x) => x.method === r.method && x.path === r.path);
        expect(again, `${r.method} ${r.path} sent again`).toBeDefined();
        expect((again?.at as number) - r.at).toBeGreaterThanOrEqual(atLeast);
      }
      // the budget: 4 requests/s with bursts of 2 at most (rate + burst - 1 in any second)
      expect(sent.length).toBe(total);
      expect(busiestSecond(sent)).toBeLessThanOrEqual(5);
    },
    60_000,
  );

  it('GIVEN a registry that asks to wait an hour WHEN a tag is read THEN the read fails at once as registry_rate_limited with the time, and reads meanwhile do not reach the registry', async () => {
    const clock = createVirtualClock();
    const p = await startRateLimitingProxy(registry.url, { refuse: () => true, retryAfter: 3600, now: clock.now });
    proxy = p;
    const client = createRegistryClient({ url: p.url }, { name: 'hub', clock, random: () => 0.5 });
    const e = await rejection(drive(clock, client.resolve('team/a', 'v1')));
    expect(e.code).toBe('registry_rate_limited');
    expect(e.context?.until).toBe(new Date(clock.now() + 3_600_000).toISOString());
    expect(e.message).toContain('Retry-After 3600 s');
    expect(p.counts().total).toBe(1);
    // another read meanwhile: refused by the budget without asking
    p.setRefuse(undefined);
    const again = await rejection(drive(clock, client.tags('team/b')));
    expect(again.code).toBe('registry_rate_limited');
    expect(p.counts().total).toBe(1);
    // once the hour is over, the registry is asked again
    await clock.advance(3_600_000);
    expect(await drive(clock, client.tags('team/b'))).toEqual(['v1']);
  }, 30_000);

  it('GIVEN a registry that refuses every request with 503 WHEN a tag is read THEN it is tried 4 times in all with growing waits, then fails as registry_rate_limited', async () => {
    const clock = createVirtualClock();
    const p = await startRateLimitingProxy(registry.url, {
      refuse: () => true,
      status: 503,
      retryAfter: 'none',
      now: clock.now,
    });
    proxy = p;
    const client = createRegistryClient({ url: p.url }, { name: 'down', clock, random: () => 1 });
    const e = await rejection(drive(clock, client.resolve('team/a', 'v1')));
    expect(e.code).toBe('registry_rate_limited');
    expect(p.counts()).toMatchObject({ total: 4, refused: 4 });
    const gaps = p.requests.slice(1).map((r, i) => r.at - (p.requests[i]?.at as number));
    // exponential: 1 s, 2 s, 4 s (random 1: the whole back-off)
    expect(gaps).toEqual([1000, 2000, 4000]);
  }, 30_000);

  it('GIVEN a tag read before WHEN read again outside a reconcile THEN the registry is asked conditionally and its 304 keeps the digest', async () => {
    const clock = createVirtualClock();
    const p = await startRateLimitingProxy(registry.url, { now: clock.now, tagListEtags: true });
    proxy = p;
    const client = createRegistryClient({ url: p.url }, { clock });
    expect(await drive(clock, client.resolve('team/a', 'v1'))).toBe(digests['team/a']);
    expect(await drive(clock, client.resolve('team/a', 'v1'))).toBe(digests['team/a']);
    expect(await drive(clock, client.tags('team/a'))).toEqual(['v1']);
    expect(await drive(clock, client.tags('team/a'))).toEqual(['v1']);
    expect(p.requests.map((r) => [r.method, r.status, r.ifNoneMatch !== undefined])).toEqual([
      ['HEAD', 200, false],
      ['HEAD', 304, true],
      ['GET', 200, false],
      ['GET', 304, true],
    ]);
    expect(p.requests[1]?.ifNoneMatch).toBe(`"${digests['team/a']}"`);
    // a manifest by tag, once its body is held, is asked for conditionally too
    const first = await drive(clock, client.manifest('team/a', 'v1'));
    expect(await drive(clock, client.manifest('team/a', 'v1'))).toBe(first);
    expect(p.requests.slice(-2).map((r) => [r.method, r.status])).toEqual([
      ['GET', 200],
      ['GET', 304],
    ]);
  }, 30_000);

  it('GIVEN reconciles (rounds of cached reads) WHEN they read within the TTL, after it, and after a push webhook THEN the registry is asked once, not at all, conditionally, and again', async () => {
    const clock = createVirtualClock();
    const p = await startRateLimitingProxy(registry.url, { now: clock.now });
    proxy = p;
    const client = createRegistryClient({ url: p.url, cacheTtl: { ms: 60_000 } }, { clock });
    // 20 phases on one tag, read one after another within one reconcile
    const reconcile = () =>
      drive(
        clock,
        withCachedReads(async () => {
          const seen: string[] = [];
          for (let i = 0; i < 20; i++) {
            seen.push(await client.resolve('team/c', 'v1'));
            await client.tags('team/c');
          }
          return seen;
        }),
      );
    expect(new Set(await reconcile())).toEqual(new Set([digests['team/c']]));
    expect(p.counts().total).toBe(2);
    await clock.advance(59_000);
    await reconcile();
    expect(p.counts().total).toBe(2);
    await clock.advance(2_000);
    await reconcile();
    // past the TTL: one conditional HEAD (304) and the tag list again (Distribution 2.8 gives it no ETag)
    expect(p.requests.slice(2).map((r) => [r.method, r.status])).toEqual([
      ['HEAD', 304],
      ['GET', 200],
    ]);
    // a push webhook: the next reconcile asks at once, within the TTL
    const moved = await pushTestImage(registry.url, 'team/c', 'v1', { labels: { moved: 'yes' } });
    client.changed('team/c');
    expect(new Set(await reconcile())).toEqual(new Set([moved]));
    expect(p.counts().total).toBe(6);
    // outside a reconcile (a person's promotion) the registry is always asked
    await drive(clock, client.resolve('team/c', 'v1'));
    expect(p.counts()).toMatchObject({ total: 7, notModified: 2 });
  }, 60_000);
});
