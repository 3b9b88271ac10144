import type { Pipeline, Resource } from '@gantry/core';
import { definePipeline, ociImage } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { selectPhases } from './selector.js';

const src = { type: 'x', writable: false as const, describe: () => 'x', read: async () => ({ resource: undefined }) };
const p = (name: string, labels: Record<string, string>, phases: Array<[string, Record<string, string>]>) =>
  definePipeline({
    name,
    resource: ociImage,
    labels,
    phases: phases.map(([n, l]) => ({ name: n, labels: l, source: src })),
  }) as unknown as Pipeline<Resource>;

const pipelines = [
  p('web', { team: 'web' }, [
    ['staging', { environment: 'staging' }],
    ['production', { environment: 'production' }],
  ]),
  p('api', { team: 'core' }, [['staging', { environment: 'staging' }]]),
];

describe('selectPhases', () => {
  it('GIVEN a label selector THEN pipeline and phase labels count together', () => {
    expect(selectPhases(pipelines, 'environment=staging,team=web')).toEqual([{ pipeline: 'web', phase: 'staging' }]);
    expect(selectPhases(pipelines, 'environment=staging')).toHaveLength(2);
  });

  it('GIVEN name globs THEN pipeline/phase match with wildcards', () => {
    expect(selectPhases(pipelines, '*')).toHaveLength(3);
    expect(selectPhases(pipelines, '*/production')).toEqual([{ pipeline: 'web', phase: 'production' }]);
    expect(selectPhases(pipelines, 'api')).toEqual([{ pipeline: 'api', phase: 'staging' }]);
  });
});
