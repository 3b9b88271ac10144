import { describe, expect, it } from 'vitest';
import type { GateVerdict } from './verdict.js';
import { summarize } from './summary.js';

function verdict(gate: string, outcome: GateVerdict['outcome'], changesAt?: string): GateVerdict {
  return {
    gate,
    kind: 'branch',
    outcome,
    reason: outcome,
    ...(changesAt ? { changesAt } : {}),
    evidence: { allowed: ['main'], manualOnly: false, manual: false },
  };
}

describe('the summary of a phase’s gates', () => {
  it('GIVEN no gates WHEN summarized THEN the phase passes', () => {
    expect(summarize([])).toEqual({ outcome: 'pass', blocking: [], waiting: [], reason: 'no gates' });
  });

  it('GIVEN waits WHEN summarized THEN it waits, re-checked at the earliest time any verdict may change', () => {
    const s = summarize([
      verdict('soak', 'wait', '2025-12-05T13:20:00.000Z'),
      verdict('window', 'pass', '2025-12-05T16:00:00.000Z'),
      verdict('approval', 'wait'),
      verdict('early', 'pass', '2025-12-05T12:30:00.000Z'),
    ]);
    expect(s).toEqual({
      outcome: 'wait',
      blocking: [],
      waiting: ['soak', 'approval'],
      recheckAt: '2025-12-05T12:30:00.000Z',
      reason: 'waiting for soak, approval',
    });
  });

  it('GIVEN one block among waits WHEN summarized THEN it blocks, with no time: time alone will not unblock it', () => {
    const s = summarize([verdict('soak', 'wait', '2025-12-05T13:20:00.000Z'), verdict('branch', 'block')]);
    expect(s).toEqual({
      outcome: 'block',
      blocking: ['branch'],
      waiting: ['soak'],
      reason: 'blocked by branch; waiting for soak',
    });
  });

  it('GIVEN every gate passes WHEN summarized THEN it passes, saying when a pass may lapse', () => {
    const s = summarize([verdict('window', 'pass', '2025-12-05T16:00:00.000Z'), verdict('branch', 'pass')]);
    expect(s).toMatchObject({ outcome: 'pass', recheckAt: '2025-12-05T16:00:00.000Z', reason: 'every gate passes' });
  });
});
