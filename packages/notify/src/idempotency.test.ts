import { describe, expect, it } from 'vitest';
import { event } from './events.test-support.js';
import { idempotencyKey } from './idempotency.js';

describe('idempotencyKey', () => {
  it('GIVEN the same event and channel WHEN derived twice THEN the keys are equal UUID v5s', () => {
    const a = idempotencyKey(event(), 'slack');
    const b = idempotencyKey(event({ occurredAt: '2030-01-01T00:00:00Z' }), 'slack');

    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('GIVEN another channel, promotion, type or occurrence WHEN derived THEN the key differs', () => {
    const base = idempotencyKey(event(), 'slack');
    const others = [
      idempotencyKey(event(), 'audit'),
      idempotencyKey(event({ promotionId: 'p-2' }), 'slack'),
      idempotencyKey({ ...event(), type: 'promotion.failed', error: { code: 'x', message: 'y' } }, 'slack'),
      idempotencyKey(event({ occurrence: 'run-2' }), 'slack'),
    ];

    expect(new Set([base, ...others]).size).toBe(5);
  });
});
