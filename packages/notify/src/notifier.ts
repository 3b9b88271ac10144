import type { Duration, Logger } from '@gantry/core';
import { silentLogger } from '@gantry/core';
import type { RetryPolicy } from './backoff.js';
import { backoff, DEFAULT_RETRY, MAX_RETRY_AFTER } from './backoff.js';
import type { AttemptOutcome, NotificationChannel } from './channel.js';
import type { NotificationChannelConfig } from './config.js';
import type { DeliveryLog, DeliveryRecord } from './delivery-log.js';
import type { NotificationEvent } from './event.js';
import { notificationEventSchema } from './event.js';
import { idempotencyKey } from './idempotency.js';
import type { LinkSettings, NotificationLinks } from './links.js';
import { eventLinks } from './links.js';
import { createChannels } from './runtime-channels.js';
import type { Sleep } from './scheduling.js';
import { limiter, realSleep } from './scheduling.js';

export interface Clock {
  now(): Date;
}

export interface NotifierOptions {
  /** Channels by name (the `channels` of `gantry.yaml`'s `notifications`). */
  readonly channels: Readonly<Record<string, NotificationChannelConfig>>;
  readonly deliveryLog: DeliveryLog;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  /** In [0, 1): the jitter of back-offs. */
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
  readonly logger?: Logger;
  readonly links?: LinkSettings;
  readonly retry?: Partial<RetryPolicy>;
  /** How long one attempt may take, unless the channel says (10s). */
  readonly timeout?: Duration;
  /** Attempts in flight at once, across channels (8): a burst of events queues instead of opening hundreds of connections. */
  readonly concurrency?: number;
}

/** A delivery `notify` started: one per channel that takes the event. */
export interface PlannedDelivery {
  readonly channel: string;
  readonly idempotencyKey: string;
}

export interface Notifier {
  /**
   * Starts delivering `event` to every channel whose filters take it and returns at once; it
   * never throws and never waits for a receiver. Outcomes go to the delivery log.
   */
  notify(event: NotificationEvent): readonly PlannedDelivery[];
  /** Resolves when every delivery started so far has finished (retries included). */
  drain(): Promise<void>;
  /** Stops taking events, cuts waiting retries short (recorded `abandoned`) and waits for attempts in flight. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT: Duration = { ms: 10_000 };

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Delivers notification events in the background: per channel, bounded attempts with
 * exponential back-off and jitter (`Retry-After` honoured), final 4xx answers not retried,
 * every attempt recorded in the delivery log under an idempotency key derived from the event.
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const channels = createChannels(options.channels, fetchImpl);
  const clock = options.clock ?? { now: () => new Date() };
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const logger = options.logger ?? silentLogger;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const log = options.deliveryLog;
  const stop = new AbortController();
  const inflight = new Set<Promise<void>>();
  let closed = false;
  const slot = limiter(Math.max(1, options.concurrency ?? 8));

  const record = async (r: DeliveryRecord): Promise<void> => {
    try {
      await log.record(r);
    } catch (e) {
      logger.error({ err: message(e), channel: r.channel, key: r.idempotencyKey }, 'could not record a delivery');
    }
  };

  const alreadyDelivered = async (key: string): Promise<boolean> => {
    try {
      return (await log.wasDelivered?.(key)) === true;
    } catch (e) {
      logger.warn({ err: message(e), key }, 'could not ask the delivery log; delivering');
      return false;
    }
  };

  async function deliver(
    event: NotificationEvent,
    { channel, timeout }: { channel: NotificationChannel; timeout?: Duration },
    key: string,
    links: NotificationLinks,
  ): Promise<void> {
    // let notify() return before any work is done
    await Promise.resolve();
    const base = {
      idempotencyKey: key,
      channel: channel.name,
      channelType: channel.type,
      eventType: event.type,
      promotionId: event.promotionId,
      pipeline: event.pipeline,
      phase: event.phase,
    };
    if (await alreadyDelivered(key)) {
      await record({
        ...base,
        attempt: 0,
        outcome: 'skipped',
        error: 'already delivered',
        at: clock.now().toISOString(),
      });
      return;
    }
    for (let attempt = 1; ; attempt++) {
      let outcome: AttemptOutcome;
      try {
        outcome = await slot(() =>
          channel.deliver(event, {
            idempotencyKey: key,
            attempt,
            links,
            fetch: fetchImpl,
            signal: AbortSignal.timeout((timeout ?? options.timeout ?? DEFAULT_TIMEOUT).ms),
            now: clock.now(),
          }),
        );
      } catch (e) {
        outcome = { kind: 'error', error: message(e), retryable: true };
      }
      const now = clock.now();
      const at = now.toISOString();
      if (outcome.kind === 'delivered') {
        await record({ ...base, attempt, outcome: 'delivered', ...code(outcome.statusCode), at });
        return;
      }
      if (outcome.kind === 'skipped') {
        await record({ ...base, attempt: 0, outcome: 'skipped', error: outcome.reason, at });
        return;
      }
      const waitTooLong = outcome.retryAfter !== undefined && outcome.retryAfter.ms > MAX_RETRY_AFTER.ms;
      const error = waitTooLong
        ? `${outcome.error} (asked to wait ${Math.ceil((outcome.retryAfter?.ms ?? 0) / 1000)}s)`
        : outcome.error;
      if (!outcome.retryable || attempt >= retry.attempts || waitTooLong) {
        logger.warn({ channel: channel.name, key, attempt, error }, 'notification not delivered');
        await record({ ...base, attempt, outcome: 'failed', ...code(outcome.statusCode), error, at });
        return;
      }
      if (stop.signal.aborted) {
        await record({ ...base, attempt, outcome: 'abandoned', ...code(outcome.statusCode), error, at });
        return;
      }
      const wait = outcome.retryAfter ?? backoff(retry, attempt, random);
      await record({
        ...base,
        attempt,
        outcome: 'retrying',
        ...code(outcome.statusCode),
        error,
        at,
        nextAttemptAt: new Date(now.getTime() + wait.ms).toISOString(),
      });
      await sleep(wait, stop.signal).catch(() => undefined);
      if (stop.signal.aborted) {
        await record({
          ...base,
          attempt: attempt + 1,
          outcome: 'abandoned',
          error: 'notifier closed',
          at: clock.now().toISOString(),
        });
        return;
      }
    }
  }

  return {
    notify(event) {
      try {
        if (closed) {
          logger.warn({ type: event.type, promotionId: event.promotionId }, 'notifier closed; event dropped');
          return [];
        }
        const parsed = notificationEventSchema.safeParse(event);
        if (!parsed.success) {
          logger.error({ issues: parsed.error.issues }, 'invalid notification event dropped');
          return [];
        }
        const e = parsed.data;
        const links = eventLinks(e, options.links ?? {});
        const planned: PlannedDelivery[] = [];
        for (const c of channels) {
          if (!c.channel.accepts(e)) continue;
          const key = idempotencyKey(e, c.channel.name);
          planned.push({ channel: c.channel.name, idempotencyKey: key });
          const p = deliver(e, c, key, links).catch((err) =>
            logger.error({ err: message(err), channel: c.channel.name }, 'notification delivery crashed'),
          );
          inflight.add(p);
          void p.finally(() => inflight.delete(p));
        }
        return planned;
      } catch (err) {
        logger.error({ err: message(err) }, 'notify failed');
        return [];
      }
    },
    async drain() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    async close() {
      closed = true;
      stop.abort();
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
}

const code = (statusCode: number | undefined): { statusCode?: number } =>
  statusCode === undefined ? {} : { statusCode };
