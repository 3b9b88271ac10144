import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import type { FollowOptions } from './follow.js';
import { followPromotion } from './follow.js';
import type { PromotionUpdate, TrackSource } from './source.js';
import { matchesPromotion } from './source.js';
import type { CheckStep, TrackedPromotion, TrackStep } from './steps.js';

const ID = '0b6f9c55-2d2c-4a53-9b55-6f4f7cbbd1a1';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const COMMIT = 'c0ffee'.padEnd(40, '1');

function promotion(over: Partial<TrackedPromotion> = {}): TrackedPromotion {
  const at = '2026-01-02T03:04:05.000Z';
  return {
    id: ID,
    pipeline: 'app',
    phase: 'staging',
    fromPhase: 'oci',
    toDigest: DIGEST,
    toVersion: 'app:latest@abababababab',
    target: { kind: 'oci-image' },
    trigger: { kind: 'person', actor: 'ci' },
    reason: 'upstream moved',
    state: 'succeeded',
    commitSha: COMMIT,
    attempts: 1,
    createdAt: at,
    updatedAt: at,
    events: [
      { state: 'queued', at, detail: {} },
      { state: 'running', at, detail: {} },
      { state: 'committed', at, detail: {} },
      { state: 'pushed', at, detail: {} },
      { state: 'succeeded', at, detail: {} },
    ],
    ...over,
  };
}

/** A clock the test moves: sleeps end when it passes their time, or when aborted. */
function manualClock() {
  let now = 0;
  const sleepers: Array<{ until: number; wake: () => void }> = [];
  const clock: Clock & { advance(ms: number): Promise<void> } = {
    now: () => now,
    sleep(ms, signal) {
      return new Promise((resolve) => {
        const s = { until: now + ms, wake: () => resolve() };
        sleepers.push(s);
        signal?.addEventListener('abort', s.wake, { once: true });
      });
    },
    async advance(ms) {
      now += ms;
      for (const s of sleepers.filter((x) => x.until <= now)) s.wake();
      await flush();
    },
  };
  return clock;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

/** One promotion the test changes; `changed` resolves when it does, as a server's event would. */
function memorySource(initial: TrackedPromotion | undefined, o: { verifies?: boolean; checks?: CheckStep[] } = {}) {
  let current = initial;
  let wake: (() => void) | undefined;
  let dirty = false;
  const carried: PromotionUpdate[] = [];
  let reads = 0;
  const source: TrackSource & {
    set(p: TrackedPromotion): Promise<void>;
    /** Changes in a burst, as events carry them, before the loop reads again. */
    burst(ps: TrackedPromotion[]): Promise<void>;
    reads(): number;
  } = {
    async open() {},
    async read(id) {
      reads++;
      return current?.id === id ? current : undefined;
    },
    async find(pipeline, phase, match) {
      reads++;
      return current && current.pipeline === pipeline && current.phase === phase && matchesPromotion(current, match)
        ? current
        : undefined;
    },
    async checks(_id, run) {
      return run === current?.verification?.run ? (o.checks ?? []) : [];
    },
    async hasVerification() {
      return o.verifies ?? true;
    },
    changed(signal) {
      const take = () => carried.splice(0);
      return new Promise((resolve) => {
        if (dirty) resolve(take());
        dirty = false;
        wake = () => resolve(take());
        signal.addEventListener('abort', () => resolve([]), { once: true });
      });
    },
    async close() {},
    async set(p) {
      current = p;
      dirty = true;
      wake?.();
      await flush();
    },
    async burst(ps) {
      for (const p of ps) {
        const { events: _, ...update } = p;
        carried.push(update);
        current = p;
      }
      dirty = true;
      wake?.();
      await flush();
    },
    reads: () => reads,
  };
  return source;
}

function follow(source: TrackSource, clock: Clock, over: Partial<FollowOptions> = {}) {
  const steps: TrackStep[] = [];
  const done = followPromotion(source, {
    target: { id: ID },
    timeout: { ms: 600_000 },
    clock,
    onStep: (s) => steps.push(s),
    ...over,
  });
  return { steps, done };
}

const words = (steps: TrackStep[]) =>
  steps.map((s) => (s.kind === 'check' ? `check ${s.name} ${s.status}` : `${s.kind} ${s.state}`));

const HEALTHY = { state: 'healthy' as const, at: '2026-01-02T03:05:00.000Z', deployer: 'flux', commit: COMMIT };

describe('following a promotion', () => {
  it('GIVEN a pushed promotion WHEN the deployer reports applied, healthy and the checks pass THEN each step is reported once, in order, and it ends verified', async () => {
    const clock = manualClock();
    const source = memorySource(promotion(), {
      checks: [{ name: 'health', status: 'passed', reason: 'status 200', at: '2026-01-02T03:05:02.000Z' }],
    });
    const { steps, done } = follow(source, clock);
    await flush();
    await source.set(promotion({ deployment: { ...HEALTHY, state: 'applied' } }));
    await source.set(promotion({ deployment: HEALTHY }));
    await source.set(
      promotion({ deployment: HEALTHY, verification: { state: 'running', run: 1, at: '2026-01-02T03:05:01.000Z' } }),
    );
    await source.set(
      promotion({ deployment: HEALTHY, verification: { state: 'verified', run: 1, at: '2026-01-02T03:05:03.000Z' } }),
    );
    const result = await done;
    expect(result).toMatchObject({ kind: 'verdict', verdict: { outcome: 'verified' } });
    expect(words(steps)).toEqual([
      'promotion queued',
      'promotion running',
      'promotion committed',
      'promotion pushed',
      'promotion succeeded',
      'deployment applied',
      'deployment healthy',
      'verification running',
      'check health passed',
      'verification verified',
    ]);
  });

  it('GIVEN applied and healthy reported in one burst WHEN the next read shows only healthy THEN applied is reported too, before it', async () => {
    const source = memorySource(promotion());
    const { steps, done } = follow(source, manualClock());
    await flush();
    const applied = promotion({ deployment: { ...HEALTHY, state: 'applied', at: '2026-01-02T03:04:59.000Z' } });
    const verified = { state: 'verified' as const, run: 1, at: HEALTHY.at };
    await source.burst([applied, promotion({ deployment: HEALTHY, verification: verified })]);
    await done;
    expect(words(steps).slice(-4)).toEqual([
      'deployment applied',
      'deployment healthy',
      'verification running',
      'verification verified',
    ]);
  });

  it('GIVEN a moment of degraded in a burst WHEN the next read shows healthy again THEN the degraded report decides: failed', async () => {
    const source = memorySource(promotion());
    const { done } = follow(source, manualClock());
    await flush();
    const degraded = promotion({ deployment: { ...HEALTHY, state: 'degraded', at: '2026-01-02T03:04:59.000Z' } });
    await source.burst([degraded, promotion({ deployment: HEALTHY })]);
    expect(await done).toMatchObject({ verdict: { outcome: 'failed' } });
  });

  it('GIVEN a promotion already verified WHEN followed THEN it answers from one read, without waiting', async () => {
    const source = memorySource(
      promotion({ deployment: HEALTHY, verification: { state: 'verified', run: 1, at: HEALTHY.at } }),
    );
    const result = await follow(source, manualClock()).done;
    expect(result.kind === 'verdict' && result.verdict.outcome).toBe('verified');
    expect(source.reads()).toBe(1);
  });

  it('GIVEN a phase without verification WHEN its promotion succeeded THEN pushed is the end', async () => {
    const result = await follow(memorySource(promotion(), { verifies: false }), manualClock()).done;
    expect(result).toMatchObject({ kind: 'verdict', verdict: { outcome: 'succeeded' } });
  });

  it('GIVEN a running promotion WHEN it fails THEN the verdict is failed with its error', async () => {
    const source = memorySource(promotion({ state: 'running', events: promotion().events.slice(0, 2) }));
    const { done } = follow(source, manualClock());
    await flush();
    await source.set(
      promotion({ state: 'failed', error: { code: 'git_push_rejected', message: 'rejected' }, commitSha: undefined }),
    );
    expect(await done).toMatchObject({
      kind: 'verdict',
      verdict: { outcome: 'failed', reason: 'promotion failed: [git_push_rejected] rejected' },
    });
  });

  it('GIVEN a pushed promotion WHEN the deployer reports degraded THEN it fails with the deployer message', async () => {
    const source = memorySource(promotion());
    const { done, steps } = follow(source, manualClock());
    await flush();
    await source.set(promotion({ deployment: { ...HEALTHY, state: 'degraded', message: 'health check failed' } }));
    expect(await done).toMatchObject({
      verdict: { outcome: 'failed', reason: 'the deployer reported degraded: health check failed' },
    });
    expect(words(steps).at(-1)).toBe('deployment degraded');
  });

  it('GIVEN no change WHEN the timeout passes on the clock THEN it ends as a timeout with the last state', async () => {
    const clock = manualClock();
    const { done } = follow(memorySource(promotion()), clock, { timeout: { ms: 30_000 } });
    await flush();
    await clock.advance(29_999);
    let settled = false;
    void done.then(() => {
      settled = true;
    });
    await flush();
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await done).toMatchObject({ kind: 'timeout', promotion: { id: ID, state: 'succeeded' } });
  });

  it('GIVEN an earlier failed run WHEN following a re-run from run 2 THEN the old verdict neither shows nor decides', async () => {
    const failed = { state: 'failed' as const, run: 1, at: HEALTHY.at, failed: ['health'], reason: 'health: 503' };
    const source = memorySource(promotion({ deployment: { ...HEALTHY, state: 'degraded' }, verification: failed }));
    const { done, steps } = follow(source, manualClock(), { minRun: 2, rerun: true });
    await flush();
    await source.set(promotion({ deployment: HEALTHY, verification: { state: 'running', run: 2, at: HEALTHY.at } }));
    await source.set(promotion({ deployment: HEALTHY, verification: { state: 'verified', run: 2, at: HEALTHY.at } }));
    expect(await done).toMatchObject({ verdict: { outcome: 'verified', reason: 'verified (run 2)' } });
    expect(steps.filter((s) => s.kind === 'verification').map((s) => s.kind === 'verification' && s.run)).toEqual([
      2, 2,
    ]);
  });

  it('GIVEN no promotion to the digest yet WHEN tracking the phase THEN it says it waits, and follows the one that appears', async () => {
    const source = memorySource(undefined, { verifies: false });
    const waiting: string[] = [];
    const { done } = follow(source, manualClock(), {
      target: { pipeline: 'app', phase: 'staging', match: { digest: DIGEST.slice(0, 19) } },
      onWaiting: (pipeline, phase, match) => waiting.push(`${pipeline}/${phase} ${match.digest}`),
    });
    await flush();
    expect(waiting).toEqual([`app/staging ${DIGEST.slice(0, 19)}`]);
    await source.set(promotion({ toDigest: `sha256:${'cd'.repeat(32)}` }));
    await source.set(promotion());
    expect(await done).toMatchObject({ kind: 'verdict', promotion: { toDigest: DIGEST } });
  });

  it('GIVEN an unknown id WHEN tracked THEN it is refused as unknown_promotion', async () => {
    await expect(follow(memorySource(undefined), manualClock()).done).rejects.toMatchObject({
      code: 'unknown_promotion',
    });
  });
});

describe('matching a promotion', () => {
  it('GIVEN digests and commits WHEN matched THEN by prefix, with or without the scheme', () => {
    const p = promotion();
    expect(matchesPromotion(p, {})).toBe(true);
    expect(matchesPromotion(p, { digest: 'abababab' })).toBe(true);
    expect(matchesPromotion(p, { digest: 'sha256:abababab' })).toBe(true);
    expect(matchesPromotion(p, { digest: 'sha256:cdcdcdcd' })).toBe(false);
    expect(matchesPromotion(p, { commit: 'c0ffee1' })).toBe(true);
    expect(matchesPromotion(p, { commit: 'deadbee' })).toBe(false);
    const git = promotion({ toDigest: `git:${'9'.repeat(40)}` });
    expect(matchesPromotion(git, { commit: '9999999' })).toBe(true);
  });
});
