import { describe, expect, it } from 'vitest';
import { phase, pipelineStatus } from '../../shared/fixtures.js';
import { lastChange, parseSort, sortPipelines, worstState } from './sort.js';

const at = (iso: string) => ({ setBy: { id: 'c', time: iso } });

const list = [
  pipelineStatus('b-ok', {}, [phase('b-ok', 'staging', at('2030-01-01T10:00:00Z'))]),
  pipelineStatus('a-behind', {}, [phase('a-behind', 'staging', { state: 'behind', ...at('2030-01-01T09:00:00Z') })]),
  pipelineStatus('c-error', {}, [phase('c-error', 'staging', { state: 'error' })]),
  pipelineStatus('d-behind', {}, [phase('d-behind', 'staging', { state: 'behind', ...at('2030-01-01T11:00:00Z') })]),
];

describe('overview sort', () => {
  it('GIVEN sort by name THEN alphabetical; an already sorted list is returned as it is', () => {
    const sorted = sortPipelines(list, 'name');
    expect(sorted.map((p) => p.pipeline)).toEqual(['a-behind', 'b-ok', 'c-error', 'd-behind']);
    expect(sortPipelines(sorted, 'name')).toBe(sorted);
  });

  it('GIVEN sort by state THEN errors, then behind, then in sync; name breaks ties', () => {
    expect(sortPipelines(list, 'state').map((p) => p.pipeline)).toEqual(['c-error', 'a-behind', 'd-behind', 'b-ok']);
    expect(worstState(list[2] as (typeof list)[number])).toBe(0);
  });

  it('GIVEN sort by last change THEN the newest version first, pipelines with no known time last', () => {
    expect(sortPipelines(list, 'change').map((p) => p.pipeline)).toEqual(['d-behind', 'b-ok', 'a-behind', 'c-error']);
    expect(lastChange(list[2] as (typeof list)[number])).toBe(Number.NEGATIVE_INFINITY);
  });

  it('GIVEN an unknown sort in the address THEN by name', () => {
    expect(parseSort('state')).toBe('state');
    expect(parseSort('bogus')).toBe('name');
    expect(parseSort(null)).toBe('name');
  });

  it('GIVEN 10,000 pipelines THEN sorted by state, every error before every behind before every in sync', () => {
    const fleet = Array.from({ length: 10_000 }, (_, i) =>
      pipelineStatus(`svc-${String(i).padStart(5, '0')}`, {}, [
        phase('x', 'p', { state: i % 3 === 0 ? 'error' : i % 3 === 1 ? 'behind' : 'in-sync' }),
      ]),
    );
    const states = sortPipelines(fleet, 'state').map((p) => p.phases[0]?.state);
    expect(states.indexOf('behind')).toBe(3334);
    expect(states.lastIndexOf('error')).toBe(3333);
    expect(states.indexOf('in-sync')).toBe(6667);
  });
});
