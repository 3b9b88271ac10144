import { describe, expect, it } from 'vitest';
import { promotion } from '../../shared/fixtures.js';
import {
  canRollBackTo,
  commitUrl,
  describeChange,
  describeTrigger,
  isRollback,
  promotionDuration,
} from './history-format.js';

describe('history formatting', () => {
  it('GIVEN each trigger kind THEN who or what asked', () => {
    expect(describeTrigger(promotion())).toBe('alice');
    expect(describeTrigger(promotion({ trigger: { kind: 'schedule', schedule: 'nightly' } }))).toBe('schedule nightly');
    expect(describeTrigger(promotion({ trigger: { kind: 'webhook', source: 'reg.example' } }))).toBe(
      'webhook reg.example',
    );
    expect(describeTrigger(promotion({ trigger: { kind: 'policy', policy: 'auto' } }))).toBe('policy auto');
  });

  it("GIVEN a rollback with a person's note THEN it is still called a rollback", () => {
    const back = promotion({
      reason: 'v3 breaks checkout',
      trigger: { kind: 'person', actor: 'dana', rollbackOf: '00000000-0000-4000-8000-000000000001' },
    });
    expect(describeTrigger(back)).toBe('dana (rollback)');
    expect(isRollback(back)).toBe(true);
    expect(isRollback(promotion({ reason: 'rollback to app@1 (promotion x)' }))).toBe(true);
    expect(isRollback(promotion({ reason: 'why now' }))).toBe(false);
  });

  it('GIVEN a first release THEN from reads (empty)', () => {
    expect(describeChange(promotion())).toBe('app@111111111111 → app@222222222222');
    expect(describeChange(promotion({ fromVersion: undefined }))).toBe('(empty) → app@222222222222');
  });

  it('GIVEN a settled promotion THEN creation to settling; GIVEN a running one THEN creation to now', () => {
    expect(promotionDuration(promotion())).toBe('2.5s');
    const running = promotion({ state: 'running', updatedAt: '2026-01-01T10:00:00.500Z' });
    expect(promotionDuration(running, Date.parse('2026-01-01T10:00:04.000Z'))).toBe('4.0s');
  });

  it('GIVEN succeeded entries THEN rollback is offered on those not running now; never on failed ones', () => {
    expect(canRollBackTo(promotion(), 'sha256:9999')).toBe(true);
    expect(canRollBackTo(promotion(), 'sha256:2222222222222222')).toBe(false);
    expect(canRollBackTo(promotion({ state: 'failed' }), 'sha256:9999')).toBe(false);
  });

  it('GIVEN the current commit has a link THEN other commits get the same kind of link; otherwise none', () => {
    const current = { id: 'aaaa1111', url: 'https://git.example.com/org/config/commit/aaaa1111' };
    expect(commitUrl(current, 'bbbb2222')).toBe('https://git.example.com/org/config/commit/bbbb2222');
    expect(commitUrl({ id: 'aaaa1111' }, 'bbbb2222')).toBeUndefined();
    expect(commitUrl(undefined, 'bbbb2222')).toBeUndefined();
  });
});
