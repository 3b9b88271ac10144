import { describe, expect, it } from 'vitest';
import { localTime } from './format.js';
import { warningDetail, warningText } from './phase-warning.js';

const until = '2026-03-01T12:05:00.000Z';

describe('phase warnings in words', () => {
  it('GIVEN a registry that rate-limits and a stale state THEN both are said, with the time it may be asked again', () => {
    const w = {
      code: 'registry_rate_limited',
      message: 'registry hub is rate-limiting requests until 2026-03-01T12:05:00.000Z (HTTP 429)',
      stale: true,
      observedAt: '2026-03-01T12:00:00.000Z',
      registry: { registry: 'hub', state: 'rate-limited' as const, until },
    };
    expect(warningText(w)).toBe(`rate-limited until ${localTime(until)} · stale`);
    expect(warningDetail(w)).toContain(`observed at ${localTime('2026-03-01T12:00:00.000Z')}`);
  });

  it('GIVEN a warning with neither registry nor staleness THEN its code is shown', () => {
    expect(warningText({ code: 'registry_rate_limited', message: 'x', stale: false })).toBe('registry_rate_limited');
  });
});
