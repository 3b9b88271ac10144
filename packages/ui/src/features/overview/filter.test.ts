import { describe, expect, it } from 'vitest';
import { phase, pipelineStatus } from '../../shared/fixtures.js';
import { filterPipelines, parseFilter, phaseColumns } from './filter.js';

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
    });
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

  it('GIVEN pipelines with different phases THEN columns are their union in listed order', () => {
    expect(phaseColumns(list)).toEqual(['oci', 'staging', 'production', 'prod']);
  });
});
