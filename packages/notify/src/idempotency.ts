import { createHash } from 'node:crypto';
import type { NotificationEvent } from './event.js';

/** The namespace of Gantry's delivery ids (UUID v5, RFC 9562 section 5.5). */
export const DELIVERY_NAMESPACE = '3b0c9f4e-8a51-4c7d-9e2f-6d1a5b7c8e90';

function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The idempotency key of delivering `event` to `channel`: a UUID v5 of the promotion id, the
 * event type, the occurrence and the channel name. The same event to the same channel always
 * gets the same key, so a redelivery (a retry, or the same event sent again after a crash) is
 * recognisable by the receiver and by the delivery log.
 */
export function idempotencyKey(event: NotificationEvent, channel: string): string {
  return uuidV5(DELIVERY_NAMESPACE, [event.promotionId, event.type, event.occurrence ?? '', channel].join('\n'));
}
