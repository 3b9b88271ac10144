import { describe, expect, it } from 'vitest';
import { waitingReason } from './promote-waiting.js';

const verdict = (gate: string, kind: string, outcome: string, reason: string) => ({
  gate,
  kind,
  outcome,
  reason,
  evidence: {},
});

describe('waitingReason', () => {
  it('GIVEN gates of which some hold WHEN put in a progress line THEN each holding gate and why, the passing ones left out', () => {
    const gates = [
      verdict('soak-1h', 'soak', 'pass', 'soaked'),
      verdict('ops', 'approval', 'wait', '0 of 1 approval'),
      verdict('weekdays', 'window', 'wait', 'closed until 09:00'),
    ];
    expect(waitingReason({ gates })).toBe('ops (approval): 0 of 1 approval; weekdays (window): closed until 09:00');
  });

  it('GIVEN no verdicts recorded WHEN put in a progress line THEN it says its gates', () => {
    expect(waitingReason({})).toBe('its gates');
  });
});
