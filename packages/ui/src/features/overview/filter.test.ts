import { describe, expect, it } from 'vitest';
import { phase, pipelineStatus } from '../../shared/fixtures.js';
import { filterPipelines, parseFilter, phaseColumns, prepareFilter, withLabel, withPhaseState } from './filter.js';

const list = [
  pipelineStatus('checkout-api', { team: 'payments' }),
  pipelineStatus('checkout-web', { team: 'web' }),
  pipelineStatus('search', { team: 'web' }, [
    phase('search', 'oci', { state: 'source' }),
    phase('search', 'prod', { state: 'behind', labels: { environment: 'production' } }),
  ]),
];

describe('overview filter', () => {
  it('GIVEN words, labels, negations and state words THEN each lands where it belongs', () => {
    expect(parseFilter('  Checkout team=payments env!=dev is:behind ')).toEqual({
      words: ['checkout'],
      labels: [
        { key: 'team', value: 'payments', negate: false },
        { key: 'env', value: 'dev', negate: true },
      ],
      states: ['behind'],
      phaseStates: [],
    });
  });

  it('GIVEN <phase>:<state> THEN pipelines whose phase of that name is in that state; ! negates', () => {
    expect(parseFilter('production:behind !staging:in-sync').phaseStates).toEqual([
      { phase: 'production', state: 'behind', negate: false },
      { phase: 'staging', state: 'in-sync', negate: true },
    ]);
    // not a state: a word
    expect(parseFilter('production:fine').words).toEqual(['production:fine']);
    expect(filterPipelines(list, 'prod:behind').map((p) => p.pipeline)).toEqual(['search']);
    expect(filterPipelines(list, 'production:in-sync').map((p) => p.pipeline)).toEqual([
      'checkout-api',
      'checkout-web',
    ]);
    // search has no phase "production": only the negation keeps it
    expect(filterPipelines(list, '!production:in-sync').map((p) => p.pipeline)).toEqual(['search']);
  });

  it('GIVEN a facet choice THEN the filter text gets its term, replacing the same facet and keeping the rest', () => {
    expect(withLabel('api team=web', 'team', 'payments')).toBe('api team=payments');
    expect(withLabel('api team=web', 'team', undefined)).toBe('api');
    expect(withLabel('team!=web', 'team', 'x')).toBe('team!=web team=x');
    expect(withPhaseState('api production:error', 'production', 'behind')).toBe('api production:behind');
    expect(withPhaseState('api production:error staging:behind', 'production', undefined)).toBe('api staging:behind');
  });

  it('GIVEN a name fragment THEN pipelines whose name contains it, any case', () => {
    expect(filterPipelines(list, 'CHECK').map((p) => p.pipeline)).toEqual(['checkout-api', 'checkout-web']);
  });

  it('GIVEN a label selector THEN pipeline labels and phase labels both match', () => {
    expect(filterPipelines(list, 'team=web').map((p) => p.pipeline)).toEqual(['checkout-web', 'search']);
    expect(filterPipelines(list, 'environment=production').map((p) => p.pipeline)).toEqual([
      'checkout-api',
      'checkout-web',
      'search',
    ]);
    expect(filterPipelines(list, 'team!=web checkout').map((p) => p.pipeline)).toEqual(['checkout-api']);
  });

  it('GIVEN is:behind THEN only pipelines with a phase behind its upstream', () => {
    expect(filterPipelines(list, 'is:behind').map((p) => p.pipeline)).toEqual(['search']);
  });

  it('GIVEN an empty filter THEN the same list (no copy)', () => {
    expect(filterPipelines(list, '  ')).toBe(list);
  });

  it('GIVEN 10,000 pipelines THEN a combined filter finds exactly the matching ones', () => {
    const fleet = Array.from({ length: 10_000 }, (_, i) =>
      pipelineStatus(`svc-${i}`, { team: `t${i % 10}` }, [
        phase(`svc-${i}`, 'staging'),
        phase(`svc-${i}`, 'production', { state: i % 7 === 0 ? 'behind' : 'in-sync' }),
      ]),
    );
    const found = filterPipelines(fleet, 'team=t3 production:behind svc-');
    expect(found.length).toBe(fleet.filter((_, i) => i % 10 === 3 && i % 7 === 0).length);
    expect(found.every((p) => p.labels.team === 't3' && p.phases[1]?.state === 'behind')).toBe(true);
  });

  it('GIVEN pipelines with different phases THEN columns are their union in listed order', () => {
    expect(phaseColumns(list)).toEqual(['oci', 'staging', 'production', 'prod']);
  });

  it('GIVEN records built ahead (prepareFilter) THEN every filter keeps the same pipelines as reading them directly', async () => {
    const states = ['in-sync', 'behind', 'error', 'empty'] as const;
    const many = Array.from({ length: 60 }, (_, i) =>
      pipelineStatus(`svc-${i}`, i % 3 ? { team: i % 2 ? 'web' : 'data' } : {}, [
        phase(`svc-${i}`, 'oci', { state: 'source' }),
        phase(`svc-${i}`, 'staging', {
          state: states[i % 4] ?? 'in-sync',
          labels: i % 2 ? { environment: 'staging' } : {},
        }),
        ...(i % 5 ? [phase(`svc-${i}`, 'production', { state: states[(i >> 2) % 4] ?? 'in-sync' })] : []),
      ]),
    );
    const filters = [
      'svc-1',
      'SVC-2 team=web',
      'team!=web',
      'environment=staging',
      'production:behind',
      '!production:in-sync staging:error',
      'is:behind',
      'is:error team=data',
    ];
    const direct = filters.map((f) => filterPipelines(many, f).map((p) => p.pipeline));
    // WHEN every record is built
    prepareFilter(many, 1000);
    await new Promise((r) => setTimeout(r, 50));
    // THEN
    expect(filters.map((f) => filterPipelines(many, f).map((p) => p.pipeline))).toEqual(direct);
    expect(direct.every((d) => d.length > 0 && d.length < many.length)).toBe(true);
  });
});
