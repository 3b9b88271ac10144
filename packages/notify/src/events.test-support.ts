import type { NotificationEvent, NotificationEventOf } from './event.js';

/** web 1.2.3 -> 1.2.4 into production, by alice, authored by bob; override what the test is about. */
export function event(overrides: Partial<NotificationEventOf<'promotion.succeeded'>> = {}): NotificationEvent {
  return {
    type: 'promotion.succeeded',
    promotionId: 'p-1',
    pipeline: 'web',
    phase: 'production',
    from: { version: '1.2.3' },
    to: { version: '1.2.4' },
    trigger: { kind: 'person', actor: 'alice' },
    author: { name: 'Bob', email: 'bob@example.com' },
    sourceCommit: { sha: 'a'.repeat(40), repository: 'acme/web' },
    occurredAt: '2025-01-02T03:04:05Z',
    ...overrides,
  };
}

export function failed(
  message: string,
  overrides: Partial<NotificationEventOf<'promotion.failed'>> = {},
): NotificationEvent {
  const { type: _t, ...rest } = event() as NotificationEventOf<'promotion.succeeded'>;
  return { ...rest, type: 'promotion.failed', error: { code: 'push_rejected', message }, ...overrides };
}
