import { z } from 'zod';
import type { AttemptOutcome, NotificationChannel } from '../channel.js';
import { filterOf, postJson } from '../channel.js';
import type { WebhookChannelConfig } from '../config.js';
import { notificationEventSchema, notificationEventTypeSchema } from '../event.js';
import { signWebhookBody, WEBHOOK_HEADERS } from '../signature.js';

/** The JSON body of a generic webhook delivery (version 1). Identical on every attempt. */
export const webhookPayloadSchema = z.object({
  version: z.literal(1),
  /** The delivery's idempotency key, also in `X-Gantry-Delivery`. */
  id: z.uuid(),
  type: notificationEventTypeSchema,
  event: notificationEventSchema,
  links: z.object({
    promotion: z.url().optional(),
    commit: z.url().optional(),
    configCommit: z.url().optional(),
  }),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** A generic webhook: the event as signed JSON. */
export function webhookChannel(name: string, config: WebhookChannelConfig): NotificationChannel {
  return {
    name,
    type: 'webhook',
    accepts: filterOf(config),
    deliver(event, ctx): Promise<AttemptOutcome> {
      const payload: WebhookPayload = { version: 1, id: ctx.idempotencyKey, type: event.type, event, links: ctx.links };
      const body = JSON.stringify(payload);
      return postJson(
        config.url,
        body,
        {
          ...config.headers,
          [WEBHOOK_HEADERS.event]: event.type,
          [WEBHOOK_HEADERS.delivery]: ctx.idempotencyKey,
          [WEBHOOK_HEADERS.attempt]: String(ctx.attempt),
          [WEBHOOK_HEADERS.signature]: signWebhookBody(config.secret, body),
        },
        ctx,
      );
    },
  };
}
