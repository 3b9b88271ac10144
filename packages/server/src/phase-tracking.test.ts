import type { Engine, PhaseStatus, PipelineStatus } from '@gantry/core';
import { silentLogger } from '@gantry/core';
import type { Promotion } from '@gantry/store';
import { describe, expect, it } from 'vitest';
import type { GantryEvent } from './events.js';
import { createEventBus } from './events.js';
import type { TrackedPhaseStatus } from './phase-tracking.js';
import { createStateCache } from './state-cache.js';

const V1 = `sha256:${'1'.repeat(64)}`;
const V2 = `sha256:${'2'.repeat(64)}`;

/** oci -> staging (Flux applies it, an HTTP check proves it) -> production (nothing proves it). */
const system = {
  pipelines: [
    {
      name: 'app',
      labels: {},
      phases: [
        { name: 'oci' },
        {
          name: 'staging',
          deployer: { kind: 'flux-kustomization', namespace: 'flux-system', name: 'staging' },
          verify: { checks: [{ kind: 'http', url: 'http://127.0.0.1:1/healthz' }] },
        },
        { name: 'production' },
      ],
    },
  ],
};

const phase = (name: string, digest: string | undefined, writable = true): PhaseStatus => ({
  pipeline: 'app',
  phase: name,
  labels: {},
  source: 'x',
  writable,
  state: 'in-sync',
  ...(digest ? { digest, version: `app@${digest.slice(7, 19)}` } : {}),
  upstreams: [],
});

/** An engine reading whatever digests the test put in the phases. */
function engineOf(digests: Record<string, string | undefined>): Engine {
  return {
    system,
    status: async (): Promise<PipelineStatus[]> => [
      {
        pipeline: 'app',
        labels: {},
        phases: [
          phase('oci', digests.oci, false),
          phase('staging', digests.staging),
          phase('production', digests.production),
        ],
      },
    ],
  } as unknown as Engine;
}

let seq = 0;
function promotion(o: Partial<Promotion> & Pick<Promotion, 'phase' | 'toDigest'>): Promotion {
  seq++;
  const at = new Date(Date.UTC(2030, 0, 1, 0, 0, seq)).toISOString();
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    pipeline: 'app',
    toVersion: 'app@x',
    target: { kind: 'oci-image' },
    trigger: { kind: 'person', actor: 'alice' },
    reason: 'test',
    state: 'succeeded',
    commitSha: 'c'.repeat(40),
    attempts: 1,
    createdAt: at,
    updatedAt: at,
    ...o,
  };
}

/** The store's answer, as the test sets it; `hold()` keeps the next reads waiting until released. */
function recorded(promotions: Promotion[]) {
  let gate: Promise<void> | undefined;
  let open = () => {};
  let reads = 0;
  return {
    promotions,
    lookup: {
      async committedPromotions(_pipeline: string, phase: string) {
        reads++;
        const answer = promotions.filter((p) => p.phase === phase).reverse();
        if (gate) await gate;
        return answer;
      },
    },
    hold() {
      gate = new Promise((r) => {
        open = r;
      });
    },
    release() {
      gate = undefined;
      open();
    },
    get reads() {
      return reads;
    },
  };
}

const staging = (s: PipelineStatus | undefined) => s?.phases.find((p) => p.phase === 'staging') as TrackedPhaseStatus;

describe('phases carry the deployment and verification of the promotion behind their version', () => {
  it('GIVEN staging promoted to its current version and nothing reported THEN pending and pending; a version that came another way carries neither', async () => {
    const store = recorded([promotion({ phase: 'staging', toDigest: V1 })]);
    const cache = createStateCache(
      engineOf({ staging: V1, production: V1 }),
      createEventBus(),
      silentLogger,
      store.lookup,
    );
    const [app] = await cache.refresh();
    // THEN
    const promoted = store.promotions[0] as Promotion;
    expect(staging(app)).toMatchObject({
      promotionId: promoted.id,
      deployment: { state: 'pending', at: promoted.updatedAt },
      verification: { state: 'pending', run: 0 },
    });
    const production = app?.phases.find((p) => p.phase === 'production') as TrackedPhaseStatus;
    expect(production.promotionId).toBeUndefined();
    expect(production.deployment).toBeUndefined();
    expect(cache.list()[0]?.phases[1]).toMatchObject({ deployment: { state: 'pending' } });
  });

  it('GIVEN a served status WHEN the promotion is reported healthy and verified THEN the status, the served list (under a new version) and a phase event say so, without reading the store again', async () => {
    const bus = createEventBus();
    const p = promotion({ phase: 'staging', toDigest: V1 });
    const store = recorded([p]);
    const cache = createStateCache(engineOf({ staging: V1 }), bus, silentLogger, store.lookup);
    await cache.refresh();
    const version = cache.version;
    const phaseEvents: TrackedPhaseStatus[] = [];
    bus.subscribe((e: GantryEvent) => e.type === 'phase' && phaseEvents.push(e.status));
    const reads = store.reads;
    // WHEN
    const at = '2030-01-01T01:00:00.000Z';
    const healthy = { state: 'healthy' as const, at, healthySince: at, deployer: 'flux', commit: p.commitSha };
    bus.publish({ type: 'promotion', promotion: { ...p, deployment: healthy, updatedAt: at } });
    bus.publish({
      type: 'promotion',
      promotion: {
        ...p,
        deployment: healthy,
        verification: { state: 'verified', at, run: 1 },
        updatedAt: '2030-01-01T01:00:01.000Z',
      },
    });
    // THEN
    expect(staging(cache.get('app'))).toMatchObject({
      deployment: { state: 'healthy', deployer: 'flux' },
      verification: { state: 'verified', run: 1 },
    });
    expect(phaseEvents.map((s) => `${s.deployment?.state} ${s.verification?.state}`)).toEqual([
      'healthy pending',
      'healthy verified',
    ]);
    expect(cache.version).toBeGreaterThan(version);
    expect(JSON.stringify(cache.list())).toContain('"verified"');
    expect(store.reads).toBe(reads);
    // AND a late event of an earlier state does not win
    bus.publish({ type: 'promotion', promotion: { ...p, deployment: healthy, updatedAt: at } });
    expect(staging(cache.get('app')).verification?.state).toBe('verified');
  });

  it('GIVEN an event for another version of the phase, or an older promotion to its version THEN what the phase shows stays', async () => {
    const bus = createEventBus();
    const old = promotion({ phase: 'staging', toDigest: V1, commitSha: 'a'.repeat(40) });
    const current = promotion({ phase: 'staging', toDigest: V1 });
    const cache = createStateCache(engineOf({ staging: V1 }), bus, silentLogger, recorded([old, current]).lookup);
    await cache.refresh();
    expect(staging(cache.get('app')).promotionId).toBe(current.id);
    // WHEN
    const at = '2030-02-01T00:00:00.000Z';
    bus.publish({
      type: 'promotion',
      promotion: { ...old, deployment: { state: 'degraded', at }, updatedAt: at },
    });
    bus.publish({
      type: 'promotion',
      promotion: promotion({ phase: 'staging', toDigest: V2, deployment: { state: 'failed', at } }),
    });
    // THEN
    expect(staging(cache.get('app'))).toMatchObject({ promotionId: current.id, deployment: { state: 'pending' } });
  });

  it('GIVEN a store read under way WHEN a promotion event arrives meanwhile THEN the phase is read again, so the event is not lost to the older answer', async () => {
    const bus = createEventBus();
    const p = promotion({ phase: 'staging', toDigest: V2 });
    const store = recorded([promotion({ phase: 'staging', toDigest: V1 })]);
    const digests: Record<string, string> = { staging: V1 };
    const cache = createStateCache(engineOf(digests), bus, silentLogger, store.lookup);
    await cache.refresh();
    // WHEN staging moves to V2, and while the store is read the deployer reports it
    store.promotions.push(p);
    digests.staging = V2;
    store.hold();
    const refreshed = cache.refresh();
    await new Promise((r) => setTimeout(r, 0));
    const reported = { ...p, deployment: { state: 'applied' as const, at: p.createdAt } };
    store.promotions[1] = reported;
    bus.publish({ type: 'promotion', promotion: reported });
    store.release();
    const [app] = await refreshed;
    // THEN
    expect(staging(app)).toMatchObject({ promotionId: p.id, deployment: { state: 'applied' } });
  });
});
