import type { Engine, PipelineStatus } from '@gantry/core';
import { silentLogger } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { createEventBus } from './events.js';
import { createStateCache } from './state-cache.js';

/** An engine whose reads finish when the test says, each returning the version current when it began. */
function slowEngine() {
  let version = 1;
  let reads = 0;
  const pending: Array<() => void> = [];
  const engine = {
    system: { pipelines: [{ name: 'app', phases: [], labels: {} }] },
    status: (name?: string) => {
      reads++;
      const seen = version;
      return new Promise<PipelineStatus[]>((resolve) =>
        pending.push(() =>
          resolve([
            {
              pipeline: name ?? 'app',
              labels: {},
              phases: [
                {
                  pipeline: 'app',
                  phase: 'oci',
                  labels: {},
                  source: 'x',
                  writable: false,
                  state: 'source',
                  version: `v${seen}`,
                  upstreams: [],
                },
              ],
            },
          ]),
        ),
      );
    },
  } as unknown as Engine;
  return {
    engine,
    bump: () => version++,
    finishAll: () => {
      for (const f of pending.splice(0)) f();
    },
    get reads() {
      return reads;
    },
  };
}

describe('state cache refresh', () => {
  it('GIVEN a read in flight WHEN a change is announced and refreshes asked THEN they share one new read that sees it', async () => {
    const e = slowEngine();
    const cache = createStateCache(e.engine, createEventBus(), silentLogger);
    const first = cache.refresh(['app']);
    e.bump(); // the registry moved after the first read began
    const second = cache.refresh(['app']);
    const third = cache.refresh(['app']);
    e.finishAll();
    await first;
    await new Promise((r) => setTimeout(r, 0));
    e.finishAll();
    const [[a], [b], [c]] = await Promise.all([first, second, third]);
    expect(a?.phases[0]?.version).toBe('v1');
    expect(b?.phases[0]?.version).toBe('v2');
    expect(c).toBe(b);
    expect(e.reads).toBe(2);
    expect(cache.get('app')?.phases[0]?.version).toBe('v2');
  });
});
