import { describe, expect, it } from 'vitest';
import { hold } from '../../shared/fixtures.js';
import { applyHoldEvent } from './hold-events.js';

describe('hold events fold into the holds in force', () => {
  it('GIVEN no holds WHEN a pin is set THEN it is in force', () => {
    const pin = hold();
    expect(applyHoldEvent([], { type: 'hold', hold: pin, change: 'set' })).toEqual([pin]);
  });

  it('GIVEN a pin WHEN another pin of the same phase is set THEN it replaces it; a pause there stays', () => {
    const pause = hold({ id: 'p1', kind: 'pause', reason: 'incident 42' });
    const before = [hold(), pause];
    const again = hold({ id: 'h2', reason: 'rollback to app@1.1' });
    expect(applyHoldEvent(before, { type: 'hold', hold: again, change: 'set' })).toEqual([pause, again]);
  });

  it('GIVEN a pipeline paused and its phase paused THEN each is its own spot', () => {
    const { phase: _phase, ...pipelinePause } = hold({ id: 'p0', kind: 'pause' });
    const phasePause = hold({ id: 'p1', kind: 'pause' });
    expect(applyHoldEvent([pipelinePause], { type: 'hold', hold: phasePause, change: 'set' })).toEqual([
      pipelinePause,
      phasePause,
    ]);
  });

  it('GIVEN a pin WHEN it is released THEN it leaves; an unknown release changes nothing (the same list)', () => {
    const pin = hold();
    const released = { ...pin, releasedAt: '2026-01-02T00:00:00.000Z', releasedBy: 'bob' };
    expect(applyHoldEvent([pin], { type: 'hold', hold: released, change: 'released' })).toEqual([]);
    const list = [pin];
    expect(applyHoldEvent(list, { type: 'hold', hold: { ...released, id: 'other' }, change: 'released' })).toBe(list);
  });

  it('GIVEN the set event of a hold already listed (read and event crossed) THEN the same list', () => {
    const list = [hold()];
    expect(applyHoldEvent(list, { type: 'hold', hold: hold(), change: 'set' })).toBe(list);
  });
});
