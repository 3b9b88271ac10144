import { describe, expect, it } from 'vitest';
import { phase, pipelineStatus, promotion } from '../shared/fixtures.js';
import { applyPhaseStatus, applyPhaseStatuses, upsertPromotion } from './live-updates.js';

describe('live updates', () => {
  const list = [pipelineStatus('a'), pipelineStatus('b')];

  it('GIVEN a phase event THEN that phase of that pipeline is replaced and the rest kept as they were', () => {
    const next = applyPhaseStatus(list, phase('b', 'staging', { state: 'behind' }));
    expect(next[1]?.phases[1]?.state).toBe('behind');
    expect(next[0]).toBe(list[0]);
    expect(list[1]?.phases[1]?.state).toBe('in-sync');
  });

  it('GIVEN an event for an unknown pipeline or phase THEN the same list', () => {
    expect(applyPhaseStatus(list, phase('zzz', 'staging'))).toBe(list);
    expect(applyPhaseStatus(list, phase('a', 'qa'))).toBe(list);
  });

  it('GIVEN many phase events at once THEN each lands, the last of a phase wins, one copy of the list; none that changes anything THEN the same list', () => {
    const three = [...list, pipelineStatus('c')];
    const next = applyPhaseStatuses(three, [
      phase('c', 'staging', { state: 'behind' }),
      phase('a', 'production', { state: 'error' }),
      phase('zzz', 'staging'),
      phase('c', 'staging', { state: 'empty' }),
    ]);
    expect(next.map((p) => p.phases.map((ph) => ph.state).join(','))).toEqual([
      'source,in-sync,error',
      'source,in-sync,in-sync',
      'source,empty,in-sync',
    ]);
    expect(next[1]).toBe(three[1]);
    expect(applyPhaseStatuses(three, [phase('zzz', 'staging'), phase('a', 'qa')])).toBe(three);
  });

  it('GIVEN a new promotion THEN it goes on top; GIVEN its next state THEN it is replaced in place', () => {
    const old = promotion({ id: '00000000-0000-4000-8000-000000000001', createdAt: '2026-01-01T00:00:00.000Z' });
    const started = promotion({
      id: '00000000-0000-4000-8000-000000000002',
      state: 'running',
      createdAt: '2026-01-02T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:01.000Z',
    });
    const h1 = upsertPromotion([old], started);
    expect(h1.map((p) => p.state)).toEqual(['running', 'succeeded']);
    const h2 = upsertPromotion(h1, { ...started, state: 'succeeded', updatedAt: '2026-01-02T00:00:03.000Z' });
    expect(h2.map((p) => p.state)).toEqual(['succeeded', 'succeeded']);
    // a late event of an earlier state does not win
    expect(upsertPromotion(h2, started)).toBe(h2);
  });
});
