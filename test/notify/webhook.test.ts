import { createMemoryDeliveryLog, createNotifier, verifyWebhookSignature, webhookPayloadSchema } from '@gantry/notify';
import type { NotificationChannelConfig } from '@gantry/notify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Receiver } from './support.js';
import { fixedClock, recordingSleep, startReceiver, succeeded, verificationFailed } from './support.js';

const SECRET = 'a-long-enough-signing-secret';
const half = () => 0.5;

describe('generic webhook notifications', () => {
  const receivers: Receiver[] = [];
  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  };
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
  });
  const hook = (
    url: string,
    extra: Partial<NotificationChannelConfig> = {},
  ): Record<string, NotificationChannelConfig> => ({
    audit: { type: 'webhook', url, secret: SECRET, ...extra } as NotificationChannelConfig,
  });

  it('GIVEN a webhook channel WHEN a promotion succeeds THEN the receiver gets the signed JSON body with event, delivery and signature headers', async () => {
    const r = await receiver();
    const deliveryLog = createMemoryDeliveryLog();
    const notifier = createNotifier({
      channels: hook(r.url, { headers: { authorization: 'Bearer receiver-token' } }),
      deliveryLog,
      clock: fixedClock(),
      sleep: recordingSleep().sleep,
      links: { dashboardUrl: 'https://gantry.example.com/', commitUrl: 'https://github.com/{repository}/commit/{sha}' },
    });

    const [planned] = notifier.notify(succeeded());
    await notifier.drain();

    expect(r.received).toHaveLength(1);
    const req = r.received[0];
    if (!req) throw new Error('nothing received');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.authorization).toBe('Bearer receiver-token');
    expect(req.headers['x-gantry-event']).toBe('promotion.succeeded');
    expect(req.headers['x-gantry-delivery']).toBe(planned?.idempotencyKey);
    expect(verifyWebhookSignature(SECRET, req.raw, String(req.headers['x-gantry-signature']))).toBe(true);
    expect(verifyWebhookSignature('another-secret-entirely', req.raw, String(req.headers['x-gantry-signature']))).toBe(
      false,
    );
    const body = webhookPayloadSchema.parse(req.json());
    expect(body).toMatchObject({
      version: 1,
      id: planned?.idempotencyKey,
      type: 'promotion.succeeded',
      event: { pipeline: 'web', phase: 'production', from: { version: '1.2.3' }, to: { version: '1.2.4' } },
      links: {
        promotion:
          'https://gantry.example.com/pipelines/web/phases/production?promotion=0b6a3c1e-2f4d-4c8e-9a7b-5d1e3f2a4b6c',
        commit: `https://github.com/acme/web/commit/${'a'.repeat(40)}`,
      },
    });
    expect(deliveryLog.records()).toEqual([
      expect.objectContaining({
        channel: 'audit',
        channelType: 'webhook',
        eventType: 'promotion.succeeded',
        idempotencyKey: planned?.idempotencyKey,
        attempt: 1,
        outcome: 'delivered',
        statusCode: 200,
        at: '2025-01-02T03:04:05.000Z',
      }),
    ]);
  });

  it('GIVEN a receiver that fails twice WHEN notified THEN three attempts are recorded, with back-off, and it is delivered once', async () => {
    const r = await receiver((n) => (n <= 2 ? { status: 503 } : { status: 204 }));
    const deliveryLog = createMemoryDeliveryLog();
    const { sleep, waits } = recordingSleep();
    const notifier = createNotifier({ channels: hook(r.url), deliveryLog, sleep, random: half, clock: fixedClock() });

    const [planned] = notifier.notify(succeeded());
    await notifier.drain();

    expect(deliveryLog.records().map((d) => [d.attempt, d.outcome, d.statusCode])).toEqual([
      [1, 'retrying', 503],
      [2, 'retrying', 503],
      [3, 'delivered', 204],
    ]);
    expect(deliveryLog.records().filter((d) => d.outcome === 'delivered')).toHaveLength(1);
    // 1s then 2s, each with half of it jittered (random = 0.5 -> 75 %)
    expect(waits).toEqual([{ ms: 750 }, { ms: 1500 }]);
    expect(deliveryLog.records()[0]?.nextAttemptAt).toBe('2025-01-02T03:04:05.750Z');
    // every attempt is the same delivery: same key, same bytes, same signature
    expect(new Set(r.received.map((q) => q.headers['x-gantry-delivery']))).toEqual(new Set([planned?.idempotencyKey]));
    expect(new Set(r.received.map((q) => q.raw.toString()))).toHaveProperty('size', 1);
    expect(r.received.map((q) => q.headers['x-gantry-attempt'])).toEqual(['1', '2', '3']);
  });

  it('GIVEN a receiver that always fails WHEN notified THEN notify returns at once, attempts stop at the bound and the delivery is recorded failed', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const r = await receiver(() => ({ status: 500, body: 'boom', hold: held }));
    const deliveryLog = createMemoryDeliveryLog();
    const notifier = createNotifier({
      channels: hook(r.url),
      deliveryLog,
      sleep: recordingSleep().sleep,
      random: half,
      retry: { attempts: 4 },
    });

    const planned = notifier.notify(succeeded());

    // the receiver has not answered (it is held), yet notify has returned
    expect(planned).toHaveLength(1);
    expect(deliveryLog.records()).toEqual([]);
    release();
    await notifier.drain();
    expect(r.received).toHaveLength(4);
    expect(deliveryLog.records().map((d) => d.outcome)).toEqual(['retrying', 'retrying', 'retrying', 'failed']);
    expect(deliveryLog.records().at(-1)).toMatchObject({ attempt: 4, statusCode: 500, error: 'HTTP 500: boom' });
  });

  it('GIVEN a receiver that refuses the body (400) WHEN notified THEN it is not retried', async () => {
    const r = await receiver(() => ({ status: 400, body: 'bad payload' }));
    const deliveryLog = createMemoryDeliveryLog();
    const { sleep, waits } = recordingSleep();
    const notifier = createNotifier({ channels: hook(r.url), deliveryLog, sleep });

    notifier.notify(succeeded());
    await notifier.drain();

    expect(r.received).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(deliveryLog.records()).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'failed', statusCode: 400, error: 'HTTP 400: bad payload' }),
    ]);
  });

  it('GIVEN a receiver that rate-limits with Retry-After WHEN notified THEN the next attempt waits as told', async () => {
    const r = await receiver((n) => (n === 1 ? { status: 429, headers: { 'retry-after': '7' } } : { status: 200 }));
    const deliveryLog = createMemoryDeliveryLog();
    const { sleep, waits } = recordingSleep();
    const notifier = createNotifier({ channels: hook(r.url), deliveryLog, sleep, random: half });

    notifier.notify(succeeded());
    await notifier.drain();

    expect(waits).toEqual([{ ms: 7000 }]);
    expect(deliveryLog.records().map((d) => d.outcome)).toEqual(['retrying', 'delivered']);
  });

  it('GIVEN nothing listens WHEN notified THEN network errors are retried and recorded', async () => {
    const r = await receiver();
    await r.stop();
    const deliveryLog = createMemoryDeliveryLog();
    const notifier = createNotifier({
      channels: hook(r.url),
      deliveryLog,
      sleep: recordingSleep().sleep,
      retry: { attempts: 2 },
    });

    notifier.notify(succeeded());
    await notifier.drain();

    expect(deliveryLog.records()).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'retrying', error: 'network error: ECONNREFUSED' }),
      expect.objectContaining({ attempt: 2, outcome: 'failed', error: 'network error: ECONNREFUSED' }),
    ]);
    // the URL (a secret for Slack and many webhooks) never reaches the log
    expect(JSON.stringify(deliveryLog.records())).not.toContain('secret-part');
  });

  it('GIVEN the same event after a restart WHEN notified again THEN the delivery carries the same key, and a log that knows it was delivered skips it', async () => {
    const r = await receiver();
    const first = createMemoryDeliveryLog();
    const before = createNotifier({ channels: hook(r.url), deliveryLog: first, sleep: recordingSleep().sleep });
    before.notify(succeeded());
    await before.close();

    // a crash before the outcome was recorded: a fresh log, the event sent again
    const lost = createNotifier({
      channels: hook(r.url),
      deliveryLog: createMemoryDeliveryLog(),
      sleep: recordingSleep().sleep,
    });
    lost.notify(succeeded());
    await lost.close();
    // the outcome was recorded: the log says delivered, nothing is sent
    const after = createNotifier({ channels: hook(r.url), deliveryLog: first, sleep: recordingSleep().sleep });
    after.notify(succeeded());
    await after.close();

    expect(r.received).toHaveLength(2);
    expect(r.received[0]?.headers['x-gantry-delivery']).toBe(r.received[1]?.headers['x-gantry-delivery']);
    expect(first.records().map((d) => [d.outcome, d.error])).toEqual([
      ['delivered', undefined],
      ['skipped', 'already delivered'],
    ]);
  });

  it('GIVEN a channel filtered to failures of one pipeline WHEN events of every kind arrive THEN only its own are sent', async () => {
    const r = await receiver();
    const deliveryLog = createMemoryDeliveryLog();
    const notifier = createNotifier({
      channels: hook(r.url, { events: ['verification.failed', 'promotion.failed'], pipelines: ['we*'] }),
      deliveryLog,
      sleep: recordingSleep().sleep,
    });

    const planned = [
      notifier.notify(succeeded()),
      notifier.notify(verificationFailed()),
      notifier.notify(verificationFailed({ pipeline: 'api' })),
    ];
    await notifier.drain();

    expect(planned.map((p) => p.length)).toEqual([0, 1, 0]);
    expect(r.received.map((q) => q.headers['x-gantry-event'])).toEqual(['verification.failed']);
  });

  it('GIVEN a retry waiting WHEN the notifier closes THEN the wait is cut short and the delivery is recorded abandoned', async () => {
    const r = await receiver(() => ({ status: 502 }));
    const deliveryLog = createMemoryDeliveryLog();
    let waiting: () => void = () => undefined;
    const asleep = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const notifier = createNotifier({
      channels: hook(r.url),
      deliveryLog,
      // waits until aborted, as a long back-off would
      sleep: (_d, signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => resolve());
          waiting();
        }),
    });

    notifier.notify(succeeded());
    await asleep;
    await notifier.close();

    expect(deliveryLog.records().map((d) => [d.attempt, d.outcome])).toEqual([
      [1, 'retrying'],
      [2, 'abandoned'],
    ]);
    expect(notifier.notify(succeeded())).toEqual([]);
  });

  it('GIVEN a burst of events WHEN notified THEN no more attempts than the concurrency limit are in flight at once', async () => {
    let active = 0;
    let maxActive = 0;
    const held: (() => void)[] = [];
    // each answer waits for a second request to arrive (so two attempts always overlap), and a
    // moment more, in which an unlimited notifier would have sent every other request too
    const r = await receiver(() => {
      active++;
      maxActive = Math.max(maxActive, active);
      const hold = new Promise<void>((resolve) =>
        held.push(() => {
          active--;
          resolve();
        }),
      );
      if (held.length >= 2) {
        const batch = held.splice(0);
        setTimeout(() => {
          for (const release of batch) release();
        }, 50);
      }
      return { status: 200, hold };
    });
    const deliveryLog = createMemoryDeliveryLog();
    const notifier = createNotifier({ channels: hook(r.url), deliveryLog, concurrency: 2 });

    for (let i = 0; i < 6; i++) notifier.notify(succeeded({ promotionId: `burst-${i}` }));
    await notifier.drain();

    expect(r.received).toHaveLength(6);
    expect(maxActive).toBe(2);
    expect(deliveryLog.records().filter((d) => d.outcome === 'delivered')).toHaveLength(6);
  });

  it('GIVEN an event that breaks its schema WHEN notified THEN nothing is sent and notify does not throw', async () => {
    const r = await receiver();
    const notifier = createNotifier({ channels: hook(r.url), deliveryLog: createMemoryDeliveryLog() });

    const planned = notifier.notify({ ...succeeded(), pipeline: '' });
    await notifier.drain();

    expect(planned).toEqual([]);
    expect(r.received).toEqual([]);
  });
});
