import { describe, expect, it } from 'vitest';
import { hold } from './fixtures.js';
import { holdsOnPhase, holdText } from './hold-format.js';

describe('pins and pauses in words', () => {
  it('GIVEN a pin, a pause of a phase, a pause of a pipeline THEN who and why', () => {
    expect(holdText(hold())).toBe('pinned by ann: rollback to app@1.2');
    expect(holdText(hold({ kind: 'pause', actor: 'bob', reason: 'incident 42' }))).toBe('paused by bob: incident 42');
    const { phase: _phase, ...rest } = hold({ kind: 'pause', actor: 'carol', reason: 'freeze' });
    expect(holdText(rest)).toBe('pipeline paused by carol: freeze');
  });

  it('GIVEN holds of several places THEN a phase sees its own and its pipeline’s, never released ones', () => {
    const { phase: _phase, ...pipelinePause } = hold({ id: 'p', kind: 'pause' });
    const holds = [
      hold({ id: 'a' }),
      hold({ id: 'b', phase: 'staging' }),
      hold({ id: 'c', pipeline: 'web' }),
      hold({ id: 'd', releasedAt: '2026-01-02T00:00:00.000Z' }),
      pipelinePause,
    ];
    expect(holdsOnPhase(holds, 'app', 'production').map((h) => h.id)).toEqual(['a', 'p']);
  });
});
