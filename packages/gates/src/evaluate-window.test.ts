import { describe, expect, it } from 'vitest';
import type { OverrideRecord } from './facts.js';
import { autoFactsAt, DIGEST, evidenceOf, factsAt, OTHER_DIGEST, verdictOf } from './facts.test-support.js';

const office = {
  kind: 'window',
  timeZone: 'Europe/Paris',
  allow: [{ name: 'office hours', days: 'mon-fri', from: '09:00', to: '17:00' }],
};

describe('the window gate', () => {
  it('GIVEN office hours in Paris WHEN it is Wednesday 10:00 there THEN it passes until 17:00 local', () => {
    const v = verdictOf(office, autoFactsAt('2025-12-03T09:00:00Z'));
    expect(v).toMatchObject({ outcome: 'pass', changesAt: '2025-12-03T16:00:00.000Z' });
    expect(v.reason).toBe('open (office hours) until Wed 17:00 Europe/Paris (in 7h)');
    expect(evidenceOf(v, 'window')).toMatchObject({
      open: true,
      period: 'office hours',
      localTime: 'Wed 3 Dec 2025 10:00',
    });
  });

  it('GIVEN office hours WHEN it is Friday evening THEN it waits for Monday 09:00, and says an admin may override', () => {
    const v = verdictOf(office, autoFactsAt('2025-12-05T17:30:00Z'));
    expect(v).toMatchObject({ outcome: 'wait', changesAt: '2025-12-08T08:00:00.000Z' });
    expect(v.reason).toBe('closed: Fri 5 Dec 2025 18:30 Europe/Paris is outside office hours');
    expect(v.unblock).toBe(
      'the window opens Mon 09:00 Europe/Paris (in 2d 14h), or an admin overrides the window with a reason',
    );
    expect(evidenceOf(v, 'window')).toMatchObject({ open: false, closedBy: 'schedule' });
  });

  it('GIVEN the weekend before spring forward WHEN closed THEN Monday 09:00 is 07:00Z, not 08:00Z', () => {
    // Paris moves from +01:00 to +02:00 on Sunday 2025-03-30
    const v = verdictOf(office, autoFactsAt('2025-03-28T18:00:00Z'));
    expect(v.changesAt).toBe('2025-03-31T07:00:00.000Z');
    const after = verdictOf(office, autoFactsAt('2025-03-31T07:00:00Z'));
    expect(after).toMatchObject({ outcome: 'pass', changesAt: '2025-03-31T15:00:00.000Z' });
  });

  it('GIVEN the weekend before fall back WHEN closed THEN Monday 09:00 is 08:00Z', () => {
    const v = verdictOf(office, autoFactsAt('2025-10-24T18:00:00Z'));
    expect(v.changesAt).toBe('2025-10-27T08:00:00.000Z');
    expect(verdictOf(office, autoFactsAt('2025-10-27T07:59:00Z')).outcome).toBe('wait');
  });

  it('GIVEN the same schedule in other zones WHEN evaluated at one instant THEN each reads its own wall clock', () => {
    const at = autoFactsAt('2025-12-08T07:30:00Z'); // Monday: 08:30 Paris, 02:30 New York, 20:30 Auckland
    expect(verdictOf(office, at).changesAt).toBe('2025-12-08T08:00:00.000Z');
    expect(verdictOf({ ...office, timeZone: 'America/New_York' }, at).changesAt).toBe('2025-12-08T14:00:00.000Z');
    const auckland = verdictOf({ ...office, timeZone: 'Pacific/Auckland' }, at);
    expect(auckland.reason).toContain('Mon 8 Dec 2025 20:30');
    expect(auckland.changesAt).toBe('2025-12-08T20:00:00.000Z');
  });

  it('GIVEN a window inside the spring-forward gap WHEN the clock jumps into it THEN it opens at the jump', () => {
    // 02:30-04:00 every day; on 2025-03-30 the wall clock goes 01:59:59 -> 03:00 at 01:00Z
    const night = {
      kind: 'window',
      timeZone: 'Europe/Paris',
      allow: [{ days: 'mon-sun', from: '02:30', to: '04:00' }],
    };
    const v = verdictOf(night, autoFactsAt('2025-03-30T00:30:00Z'));
    expect(v).toMatchObject({ outcome: 'wait', changesAt: '2025-03-30T01:00:00.000Z' });
    expect(verdictOf(night, autoFactsAt('2025-03-30T01:00:00Z'))).toMatchObject({
      outcome: 'pass',
      changesAt: '2025-03-30T02:00:00.000Z',
    });
  });

  it('GIVEN a window in the hour that happens twice WHEN it has passed once THEN it opens again when the hour repeats', () => {
    // 02:00-02:30; on 2025-10-26 Paris runs 02:00-03:00 at +02:00, then again at +01:00
    const w = { kind: 'window', timeZone: 'Europe/Paris', allow: [{ days: 'sun', from: '02:00', to: '02:30' }] };
    expect(verdictOf(w, autoFactsAt('2025-10-26T00:15:00Z'))).toMatchObject({
      outcome: 'pass',
      changesAt: '2025-10-26T00:30:00.000Z',
    });
    expect(verdictOf(w, autoFactsAt('2025-10-26T00:45:00Z'))).toMatchObject({
      outcome: 'wait',
      changesAt: '2025-10-26T01:00:00.000Z',
    });
    expect(verdictOf(w, autoFactsAt('2025-10-26T01:15:00Z'))).toMatchObject({
      outcome: 'pass',
      changesAt: '2025-10-26T01:30:00.000Z',
    });
  });

  it('GIVEN an RRULE deny period of 63h from Friday 18:00 WHEN it is Saturday THEN it waits for Monday 09:00, also over a DST weekend', () => {
    const weekend = {
      kind: 'window',
      timeZone: 'Europe/Paris',
      deny: [{ name: 'weekend', rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=18', duration: '63h' }],
    };
    const v = verdictOf(weekend, autoFactsAt('2025-12-06T12:00:00Z'));
    expect(v).toMatchObject({ outcome: 'wait', changesAt: '2025-12-08T08:00:00.000Z' });
    expect(v.reason).toBe('closed: Sat 6 Dec 2025 13:00 Europe/Paris is in the denied period weekend');
    expect(evidenceOf(v, 'window')).toMatchObject({ closedBy: 'deny', period: 'weekend' });
    // the weekend of 2025-03-28: 63h on the wall clock still end Monday 09:00 local (now +02:00)
    expect(verdictOf(weekend, autoFactsAt('2025-03-29T12:00:00Z')).changesAt).toBe('2025-03-31T07:00:00.000Z');
    expect(verdictOf(weekend, autoFactsAt('2025-12-08T08:00:00Z'))).toMatchObject({
      outcome: 'pass',
      changesAt: '2025-12-12T17:00:00.000Z',
    });
  });

  it('GIVEN an allow RRULE with a start and INTERVAL WHEN asked THEN only its own weeks open', () => {
    const everyOther = {
      kind: 'window',
      timeZone: 'America/New_York',
      allow: [{ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=10', start: '2025-01-07T10:00', duration: '2h' }],
    };
    // 2025-12-02 is 47 weeks after 2025-01-07: closed; the next is 2025-12-09 10:00 EST
    const v = verdictOf(everyOther, autoFactsAt('2025-12-02T15:30:00Z'));
    expect(v).toMatchObject({ outcome: 'wait', changesAt: '2025-12-09T15:00:00.000Z' });
    expect(verdictOf(everyOther, autoFactsAt('2025-12-09T16:00:00Z'))).toMatchObject({
      outcome: 'pass',
      changesAt: '2025-12-09T17:00:00.000Z',
    });
  });

  it('GIVEN a freeze WHEN inside it THEN it waits until the freeze ends and the schedule opens, with the reason', () => {
    const frozen = {
      ...office,
      freezes: [{ reason: 'Black Friday', start: '2025-11-28', end: '2025-12-01T10:00' }],
    };
    const v = verdictOf(frozen, autoFactsAt('2025-11-28T12:00:00Z'));
    expect(v).toMatchObject({ outcome: 'wait', changesAt: '2025-12-01T09:00:00.000Z' });
    expect(v.reason).toBe('frozen: Black Friday (until Mon 10:00 Europe/Paris (in 2d 21h))');
    expect(v.unblock).toContain('or an admin overrides the freeze with a reason');
    expect(evidenceOf(v, 'window')).toMatchObject({
      closedBy: 'freeze',
      freeze: { reason: 'Black Friday', start: '2025-11-27T23:00:00.000Z', end: '2025-12-01T09:00:00.000Z' },
    });
  });

  it('GIVEN only freezes WHEN outside them THEN it passes until the next freeze starts', () => {
    const w = {
      kind: 'window',
      timeZone: 'UTC',
      freezes: [{ reason: 'year end', start: '2025-12-20T00:00:00Z', end: '2026-01-05T00:00:00Z' }],
    };
    expect(verdictOf(w, autoFactsAt('2025-12-10T00:00:00Z'))).toMatchObject({
      outcome: 'pass',
      changesAt: '2025-12-20T00:00:00.000Z',
    });
  });

  it('GIVEN a closed window WHEN an admin overrode it with a reason THEN it passes and the override is evidence', () => {
    const override: OverrideRecord = {
      gate: 'window',
      by: 'ops-lead',
      role: 'admin',
      at: '2025-12-05T17:40:00Z',
      reason: 'fix for the checkout outage',
      digest: DIGEST,
    };
    const v = verdictOf(office, autoFactsAt('2025-12-05T17:45:00Z', { overrides: [override] }));
    expect(v.outcome).toBe('pass');
    expect(v.reason).toContain('overridden by ops-lead: fix for the checkout outage');
    expect(evidenceOf(v, 'window').override).toEqual({
      by: 'ops-lead',
      at: '2025-12-05T17:40:00Z',
      reason: 'fix for the checkout outage',
    });
  });

  it('GIVEN overrides that do not count WHEN the window is closed THEN it still waits', () => {
    const base: OverrideRecord = { gate: 'window', by: 'x', role: 'admin', at: '2025-12-05T17:40:00Z', reason: 'why' };
    for (const o of [
      { ...base, role: 'promoter' },
      { ...base, gate: 'another' },
      { ...base, digest: OTHER_DIGEST },
      { ...base, reason: '  ' },
      { ...base, expiresAt: '2025-12-05T17:44:00Z' },
      { ...base, expiresAt: 'soon' },
    ]) {
      expect(verdictOf(office, factsAt('2025-12-05T17:45:00Z', { overrides: [o] })).outcome).toBe('wait');
    }
    const later = { ...base, expiresAt: '2025-12-05T18:00:00Z' };
    expect(verdictOf(office, factsAt('2025-12-05T17:45:00Z', { overrides: [later] })).outcome).toBe('pass');
  });

  it('GIVEN a window that never opens within a year WHEN closed THEN it blocks: only a person can change that', () => {
    const never = {
      kind: 'window',
      timeZone: 'UTC',
      allow: [{ days: 'mon' }],
      deny: [{ days: 'mon' }],
    };
    const v = verdictOf(never, autoFactsAt('2025-12-05T12:00:00Z'));
    expect(v.outcome).toBe('block');
    expect(v.reason).toMatch(/does not open within a year$/);
    expect(v.changesAt).toBeUndefined();
  });
});
