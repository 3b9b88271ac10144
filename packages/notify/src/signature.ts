import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names of generic webhook deliveries. */
export const WEBHOOK_HEADERS = {
  signature: 'x-gantry-signature',
  delivery: 'x-gantry-delivery',
  event: 'x-gantry-event',
  attempt: 'x-gantry-attempt',
} as const;

/** `sha256=<hex>`: HMAC-SHA256 of the raw body bytes with the channel's secret. */
export function signWebhookBody(secret: string, rawBody: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Whether `header` is the signature of `rawBody` (constant-time); check it before parsing the body. */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Uint8Array,
  header: string | null | undefined,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhookBody(secret, rawBody));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
