import type { Engine, PhaseStatus, Pipeline, PipelineStatus } from '@gantry/core';
import { silentLogger } from '@gantry/core';
import type { RateLimitNotice } from '@gantry/oci';
import { describe, expect, it } from 'vitest';
import type { GantryEvent } from './events.js';
import { createEventBus } from './events.js';
import type { SeenAt, WarnedPhaseStatus } from './stale-phases.js';
import { keepLastKnown } from './stale-phases.js';
import { createStateCache } from './state-cache.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const UNTIL = new Date('2026-03-01T12:05:00.000Z');

/** The shape of an oci -> staging pipeline, as far as the state cache looks at it. */
const pipeline = {
  name: 'app',
  labels: {},
  phases: [
    {
      name: 'oci',
      promotesFrom: [],
      source: { type: 'oci', subject: { kind: 'oci', registry: 'hub', repository: 'app' } },
    },
    {
      name: 'staging',
      promotesFrom: ['oci'],
      source: { type: 'git', subject: { kind: 'git', repository: 'config' } },
    },
  ],
} as unknown as Pipeline;

const phase = (name: string, over: Partial<PhaseStatus>): PhaseStatus => ({
  pipeline: 'app',
  phase: name,
  labels: {},
  source: name,
  writable: name !== 'oci',
  state: 'source',
  upstreams: [],
  ...over,
});

const read = (oci: Partial<PhaseStatus>, staging: Partial<PhaseStatus>): PipelineStatus => ({
  pipeline: 'app',
  labels: {},
  phases: [phase('oci', oci), phase('staging', staging)],
});

const limited = {
  state: 'error' as const,
  error: {
    code: 'registry_rate_limited',
    message: `registry hub is rate-limiting requests until ${UNTIL.toISOString()} (HTTP 429, Retry-After 300 s)`,
  },
};

describe('phases of a rate-limiting registry', () => {
  it('GIVEN a phase observed before WHEN its registry refuses the next read THEN it keeps its last state, marked stale with the registry and its until, and its downstream compares with that version', () => {
    const seenAt: SeenAt = new Map();
    const before = keepLastKnown(
      read(
        { state: 'source', digest: D1, version: 'v1' },
        { state: 'in-sync', digest: D1, upstreams: [{ phase: 'oci', digest: D1, inSync: true }] },
      ),
      undefined,
      pipeline,
      new Map(),
      seenAt,
      new Date('2026-03-01T12:00:00Z'),
    );
    // the engine, its upstream unreadable, would call staging in sync with nothing
    const next = keepLastKnown(
      read(limited, { state: 'in-sync', digest: D2, upstreams: [{ phase: 'oci', inSync: false }] }),
      before,
      pipeline,
      new Map(),
      seenAt,
      new Date('2026-03-01T12:01:00Z'),
    );
    const [oci, staging] = next.phases as [WarnedPhaseStatus, WarnedPhaseStatus];
    expect(oci).toMatchObject({ state: 'source', digest: D1, version: 'v1' });
    expect(oci.error).toBeUndefined();
    expect(oci.warning).toEqual({
      code: 'registry_rate_limited',
      message: expect.stringContaining('showing the state observed at 2026-03-01T12:00:00.000Z'),
      stale: true,
      observedAt: '2026-03-01T12:00:00.000Z',
      registry: { registry: 'hub', state: 'rate-limited', until: UNTIL.toISOString() },
    });
    expect(staging).toMatchObject({ state: 'behind', upstreams: [{ phase: 'oci', digest: D1, inSync: false }] });
  });

  it('GIVEN a phase never observed WHEN its registry refuses THEN it is in error, with the registry and its until', () => {
    const next = keepLastKnown(read(limited, {}), undefined, pipeline, new Map(), new Map(), new Date());
    expect(next.phases[0]).toMatchObject({
      state: 'error',
      warning: { stale: false, registry: { registry: 'hub', until: UNTIL.toISOString() } },
    });
  });

  it('GIVEN a read waiting on a registry that asked to wait WHEN the registry says so THEN its phases show it at once, and the read that returns clears it', async () => {
    let finish!: (s: PipelineStatus[]) => void;
    let reads = 0;
    const engine = {
      system: { pipelines: [pipeline] },
      status: () => {
        reads++;
        if (reads === 1) return Promise.resolve([read({ digest: D1 }, { state: 'in-sync', digest: D1 })]);
        return new Promise<PipelineStatus[]>((r) => (finish = r));
      },
    } as unknown as Engine;
    const listeners: Array<(n: RateLimitNotice) => void> = [];
    let paused: RateLimitNotice[] = [];
    const bus = createEventBus();
    const events: GantryEvent[] = [];
    bus.subscribe((e) => events.push(e));
    const cache = createStateCache(engine, bus, silentLogger, undefined, {
      registries: {
        rateLimits: () => paused,
        onRateLimit: (l) => {
          listeners.push(l);
          return () => undefined;
        },
      },
    });
    await cache.refresh(['app']);
    const second = cache.refresh(['app']);
    // WHEN the registry asks to wait while the read waits
    paused = [{ registry: 'hub', until: UNTIL, status: 429 }];
    for (const l of listeners) l({ registry: 'hub', until: UNTIL, status: 429 });
    const shown = cache.get('app')?.phases as WarnedPhaseStatus[];
    expect(shown[0]).toMatchObject({
      digest: D1,
      warning: { stale: false, registry: { registry: 'hub', state: 'rate-limited', until: UNTIL.toISOString() } },
    });
    expect(shown[1]?.warning).toBeUndefined();
    expect(events.at(-1)).toMatchObject({
      type: 'phase',
      status: { phase: 'oci', warning: { code: 'registry_rate_limited' } },
    });
    // THEN the read that got through after the wait replaces it
    paused = [];
    finish([read({ digest: D2 }, { state: 'behind', digest: D1 })]);
    await second;
    expect((cache.get('app')?.phases[0] as WarnedPhaseStatus | undefined)?.warning).toBeUndefined();
    expect(cache.get('app')?.phases[0]?.digest).toBe(D2);
  });
});
