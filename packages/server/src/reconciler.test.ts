import type { PipelineStatus } from '@gantry/core';
import { createSystem, definePipeline, GantryError, ociImage, silentLogger } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { img, memoryFile, memoryRegistry } from '../../core/src/test-sources.test-support.js';
import { createMetrics } from './metrics.js';
import type { PromotionService } from './promotion-service.js';
import { createReconciler } from './reconciler.js';
import type { StateCache } from './state-cache.js';

const pipeline = (name: string) =>
  definePipeline({
    name,
    resource: ociImage,
    phases: [
      { name: 'oci', source: memoryRegistry(img('b')) },
      {
        name: 'staging',
        promotesFrom: ['oci'],
        autoPromote: true,
        source: memoryFile('d.yaml', 'image: reg/app@sha256:aaaa\n'),
      },
    ],
  });

/** Both pipelines observed behind in staging. */
const behind = (name: string): PipelineStatus =>
  ({
    pipeline: name,
    labels: {},
    phases: [
      { pipeline: name, phase: 'oci', state: 'source', writable: false, upstreams: [], labels: {}, source: '' },
      { pipeline: name, phase: 'staging', state: 'behind', writable: true, upstreams: [], labels: {}, source: '' },
    ],
  }) as unknown as PipelineStatus;

describe('reconciler', () => {
  it('GIVEN a webhook for two pipelines WHEN the first auto-promotion fails THEN the second still goes, and the first is tried again', async () => {
    // GIVEN
    const system = createSystem({ pipelines: [pipeline('a'), pipeline('b')] });
    const state = { refresh: async (names: readonly string[]) => names.map(behind) } as unknown as StateCache;
    const asked: string[] = [];
    let failures = 1;
    const promotions = {
      async request(r: { pipeline: string }) {
        asked.push(r.pipeline);
        if (r.pipeline === 'a' && failures-- > 0) throw new GantryError('git_failed', 'database is locked');
        return { kind: 'in-sync' };
      },
    } as unknown as PromotionService;
    const reconciler = createReconciler({
      system,
      state,
      promotions,
      metrics: createMetrics(),
      logger: silentLogger,
      retryDelays: [{ ms: 0 }],
    });
    // WHEN
    await reconciler.request(['a', 'b'], { kind: 'webhook', source: 'registry' });
    // THEN b was requested despite a's failure, and a again after it
    for (let i = 0; i < 50 && asked.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(asked).toEqual(['a', 'b', 'a']);
    await reconciler.stop();
  });
});
