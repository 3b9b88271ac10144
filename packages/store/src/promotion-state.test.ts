import { describe, expect, it } from 'vitest';
import {
  ACTIVE_STATES,
  allowedTransitions,
  canTransition,
  isTerminal,
  PROMOTION_STATES,
  TERMINAL_STATES,
  UNFINISHED_STATES,
} from './promotion-state.js';
import type { PromotionState } from './promotion-state.js';

const LEGAL: ReadonlyArray<readonly [PromotionState, PromotionState]> = [
  ['waiting', 'queued'],
  ['waiting', 'superseded'],
  ['waiting', 'failed'],
  ['queued', 'running'],
  ['queued', 'superseded'],
  ['queued', 'failed'],
  ['running', 'committed'],
  ['running', 'succeeded'],
  ['running', 'failed'],
  ['running', 'queued'],
  ['committed', 'queued'],
  ['committed', 'pushed'],
  ['committed', 'failed'],
  ['pushed', 'succeeded'],
  ['pushed', 'failed'],
  ['pushed', 'superseded'],
  ['running', 'proposed'],
  ['proposed', 'succeeded'],
  ['proposed', 'failed'],
  ['proposed', 'superseded'],
];

describe('promotion state machine', () => {
  it('GIVEN every pair of states WHEN asked THEN exactly the documented transitions are allowed', () => {
    const allowed: string[] = [];
    for (const from of PROMOTION_STATES) {
      for (const to of PROMOTION_STATES) if (canTransition(from, to)) allowed.push(`${from}->${to}`);
    }
    expect(allowed.sort()).toEqual(LEGAL.map(([a, b]) => `${a}->${b}`).sort());
  });

  it('GIVEN a settled promotion WHEN asked for its next states THEN there are none', () => {
    for (const s of TERMINAL_STATES) {
      expect(isTerminal(s)).toBe(true);
      expect(allowedTransitions(s)).toEqual([]);
    }
    expect(isTerminal('pushed')).toBe(false);
  });

  it('GIVEN any state WHEN it moves to itself THEN that is refused', () => {
    for (const s of PROMOTION_STATES) expect(canTransition(s, s)).toBe(false);
  });

  it('GIVEN the happy path WHEN followed from queued THEN it reaches succeeded', () => {
    const path: PromotionState[] = ['queued', 'running', 'committed', 'pushed', 'succeeded'];
    for (let i = 1; i < path.length; i++)
      expect(canTransition(path[i - 1] as PromotionState, path[i] as PromotionState)).toBe(true);
  });

  it('GIVEN the state groups WHEN compared THEN unfinished = waiting + queued + active + proposed and no active state is terminal', () => {
    expect([...UNFINISHED_STATES].sort()).toEqual(['committed', 'proposed', 'pushed', 'queued', 'running', 'waiting']);
    // an open pull request does not own its phase: a newer version runs and updates it
    expect(ACTIVE_STATES).not.toContain('proposed');
    expect(ACTIVE_STATES.some(isTerminal)).toBe(false);
    expect(canTransition('queued', 'committed')).toBe(false);
    expect(canTransition('succeeded', 'failed')).toBe(false);
  });
});
