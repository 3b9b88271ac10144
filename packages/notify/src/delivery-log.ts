import type { ChannelType } from './config.js';
import type { NotificationEventType } from './event.js';

/**
 * How one delivery attempt ended:
 * - `delivered`: the receiver took it (2xx);
 * - `retrying`: it failed and another attempt follows at `nextAttemptAt`;
 * - `failed`: it failed for good (a final status, or the last attempt);
 * - `abandoned`: the notifier closed while a retry was waiting;
 * - `skipped`: nothing was sent (the event does not apply to the channel, or the key was already delivered).
 */
export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed' | 'abandoned' | 'skipped';

/** One record per attempt (and one for a skipped or abandoned delivery). */
export interface DeliveryRecord {
  readonly idempotencyKey: string;
  readonly channel: string;
  readonly channelType: ChannelType;
  readonly eventType: NotificationEventType;
  readonly promotionId: string;
  readonly pipeline: string;
  readonly phase: string;
  /** 1-based; the attempt that would have come next for `abandoned`, 0 for `skipped`. */
  readonly attempt: number;
  readonly outcome: DeliveryOutcome;
  /** The receiver's HTTP status, when it answered. */
  readonly statusCode?: number;
  readonly error?: string;
  /** ISO timestamp of the outcome. */
  readonly at: string;
  readonly nextAttemptAt?: string;
}

/**
 * Where delivery outcomes go (the store implements it; `createMemoryDeliveryLog` for tests and
 * the CLI). A failing `record` is logged and otherwise ignored: delivery never depends on it.
 */
export interface DeliveryLog {
  record(record: DeliveryRecord): void | Promise<void>;
  /** When present, a key that was already delivered is skipped: a redelivery after a crash sends nothing twice. */
  wasDelivered?(idempotencyKey: string): boolean | Promise<boolean>;
}

export interface MemoryDeliveryLog extends DeliveryLog {
  /** Every record, oldest first. */
  records(): readonly DeliveryRecord[];
  /** The records of one delivery, oldest first. */
  byKey(idempotencyKey: string): readonly DeliveryRecord[];
}

/** A delivery log in memory. */
export function createMemoryDeliveryLog(): MemoryDeliveryLog {
  const records: DeliveryRecord[] = [];
  return {
    record(r) {
      records.push(r);
    },
    wasDelivered: (key) => records.some((r) => r.idempotencyKey === key && r.outcome === 'delivered'),
    records: () => [...records],
    byKey: (key) => records.filter((r) => r.idempotencyKey === key),
  };
}
