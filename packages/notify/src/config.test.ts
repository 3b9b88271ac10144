import { ValidationError } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { commitStatusOf } from './channels/github-status.js';
import { notificationsSchema } from './config.js';
import { failed } from './events.test-support.js';
import { createMemoryDeliveryLog } from './delivery-log.js';
import { createNotifier } from './notifier.js';
import { notifierSettings } from './runtime-channels.js';
import { signWebhookBody, verifyWebhookSignature } from './signature.js';

describe('notifications config', () => {
  it('GIVEN a notifications section with every channel type WHEN parsed THEN settings come out with durations as values', () => {
    const config = notificationsSchema.parse({
      dashboardUrl: 'https://gantry.example.com',
      retry: { attempts: 3, initialDelay: '2s', maxDelay: '1m' },
      channels: {
        team: { type: 'slack', webhookUrl: 'https://hooks.slack.com/services/T/B/x', events: ['promotion.failed'] },
        audit: { type: 'webhook', url: 'https://audit.example.com/in', secret: '0123456789abcdef' },
        github: { type: 'github-status', token: 't', repository: 'acme/web' },
      },
    });

    expect(notifierSettings(config)).toMatchObject({
      links: { dashboardUrl: 'https://gantry.example.com' },
      retry: { attempts: 3, initialDelay: { ms: 2000 }, maxDelay: { ms: 60_000 } },
    });
  });

  it('GIVEN mistakes WHEN parsed THEN each is reported at its field', () => {
    const r = notificationsSchema.safeParse({
      channels: {
        team: { type: 'slack', webhookUrl: 'not a url' },
        audit: { type: 'webhook', url: 'https://a.example.com', secret: 'short', events: ['promotion.done'] },
        Bad: { type: 'github-status', token: 't' },
      },
    });

    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'channels.Bad',
      'channels.audit.events.0',
      'channels.audit.secret',
      'channels.team.webhookUrl',
    ]);
  });

  it('GIVEN a bad channel WHEN a notifier is created THEN a ValidationError names it', () => {
    expect(() =>
      createNotifier({
        channels: { audit: { type: 'webhook', url: 'https://a.example.com', secret: 'short' } },
        deliveryLog: createMemoryDeliveryLog(),
      }),
    ).toThrow(ValidationError);
  });
});

describe('channel details', () => {
  it('GIVEN a long failure WHEN it becomes a commit status THEN the description fits GitHub’s 140 characters', () => {
    const s = commitStatusOf(failed('x'.repeat(500)));

    expect(s.state).toBe('failure');
    expect(s.description).toHaveLength(140);
    expect(s.description.startsWith('promotion failed: push_rejected: xxx')).toBe(true);
    expect(s.description.endsWith('…')).toBe(true);
  });

  it('GIVEN a body WHEN signed THEN only the same bytes and secret verify', () => {
    const sig = signWebhookBody('secret-0123456789', '{"a":1}');

    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('secret-0123456789', Buffer.from('{"a":1}'), sig)).toBe(true);
    expect(verifyWebhookSignature('secret-0123456789', '{"a":2}', sig)).toBe(false);
    expect(verifyWebhookSignature('other-secret-0000', '{"a":1}', sig)).toBe(false);
    expect(verifyWebhookSignature('secret-0123456789', '{"a":1}', undefined)).toBe(false);
  });
});
