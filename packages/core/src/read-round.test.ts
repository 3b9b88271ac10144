import { describe, expect, it } from 'vitest';
import { inRound, roundSlot, runInRound } from './read-round.js';

describe('rounds of reads in one async context', () => {
  it('GIVEN two slots WHEN a round of one runs inside a round of the other THEN reads inside see both, and each only its own outside the inner', async () => {
    // GIVEN
    const answers = roundSlot<string>('answers');
    const fetches = roundSlot<number>('fetches');
    // WHEN
    const seen = await runInRound(answers, 'a', async () => {
      const outer = [inRound(answers), inRound(fetches)];
      const inner = await runInRound(fetches, 1, async () => {
        await new Promise((r) => setTimeout(r, 1));
        return [inRound(answers), inRound(fetches)];
      });
      return { outer, inner, after: [inRound(answers), inRound(fetches)] };
    });
    // THEN
    expect(seen).toEqual({ outer: ['a', undefined], inner: ['a', 1], after: ['a', undefined] });
    expect(inRound(answers)).toBeUndefined();
  });

  it('GIVEN two rounds of one slot at once WHEN each reads after the other began THEN each sees its own value', async () => {
    // GIVEN
    const slot = roundSlot<string>('answers');
    const read = (v: string, ms: number) =>
      runInRound(slot, v, async () => {
        await new Promise((r) => setTimeout(r, ms));
        return inRound(slot);
      });
    // WHEN
    const both = await Promise.all([read('first', 5), read('second', 1)]);
    // THEN
    expect(both).toEqual(['first', 'second']);
  });
});
