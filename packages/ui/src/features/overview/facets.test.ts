import { describe, expect, it } from 'vitest';
import { phase, pipelineStatus } from '../../shared/fixtures.js';
import { computeFacets } from './facets.js';
import { phaseColumns } from './filter.js';

describe('overview facets', () => {
  it('GIVEN pipelines THEN label values and each phase column states with counts, and which phase is production', () => {
    const list = [
      pipelineStatus('a', { team: 'web' }),
      pipelineStatus('b', { team: 'web', tier: '1' }),
      pipelineStatus('c', { team: 'payments' }, [
        phase('c', 'oci', { state: 'source' }),
        phase('c', 'staging', { state: 'behind' }),
        phase('c', 'production', { state: 'behind' }),
      ]),
    ];
    const f = computeFacets(list, phaseColumns(list));
    expect(f.labels).toEqual([
      {
        key: 'team',
        values: [
          { value: 'payments', count: 1 },
          { value: 'web', count: 2 },
        ],
      },
      { key: 'tier', values: [{ value: '1', count: 1 }] },
    ]);
    expect(f.phases.find((p) => p.phase === 'production')?.states).toEqual([
      { value: 'in-sync', count: 2 },
      { value: 'behind', count: 1 },
    ]);
    expect(f.production).toBe('production');
  });

  it('GIVEN a label with a value per pipeline THEN no facet for it; GIVEN no production-like name THEN the phase labelled so, else the last', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      pipelineStatus(`p${i}`, { commit: `c${i}` }, [
        phase(`p${i}`, 'eu', { labels: { environment: 'production' } }),
        phase(`p${i}`, 'qa'),
      ]),
    );
    const f = computeFacets(many, ['eu', 'qa']);
    expect(f.labels).toEqual([]);
    expect(f.production).toBe('eu');
    expect(
      computeFacets([pipelineStatus('x', {}, [phase('x', 'one'), phase('x', 'two')])], ['one', 'two']).production,
    ).toBe('two');
  });
});
