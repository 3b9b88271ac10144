export type { RetryPolicy } from './backoff.js';
export { backoff, DEFAULT_RETRY, MAX_RETRY_AFTER } from './backoff.js';
export type { AttemptContext, AttemptOutcome, ChannelFilters, NotificationChannel } from './channel.js';
export { filterOf, httpOutcome, parseRetryAfter } from './channel.js';
export {
  commitStatusOf,
  DEFAULT_GITHUB_API,
  DEFAULT_STATUS_CONTEXT,
  githubStatusChannel,
} from './channels/github-status.js';
export { slackChannel } from './channels/slack.js';
export type { SlackMessage } from './channels/slack-message.js';
export { escapeMrkdwn, slackMessage } from './channels/slack-message.js';
export type { WebhookPayload } from './channels/webhook.js';
export { webhookChannel, webhookPayloadSchema } from './channels/webhook.js';
export type {
  ChannelType,
  GitHubStatusChannelConfig,
  NotificationChannelConfig,
  NotificationsConfig,
  SlackChannelConfig,
  WebhookChannelConfig,
} from './config.js';
export {
  githubStatusChannelSchema,
  notificationChannelSchema,
  notificationsSchema,
  slackChannelSchema,
  webhookChannelSchema,
} from './config.js';
export type { DeliveryLog, DeliveryOutcome, DeliveryRecord, MemoryDeliveryLog } from './delivery-log.js';
export { createMemoryDeliveryLog } from './delivery-log.js';
export type {
  CommitRef,
  NotificationEvent,
  NotificationEventOf,
  NotificationEventType,
  NotificationPerson,
  NotificationTrigger,
  NotificationVersion,
} from './event.js';
export { isFailure, NOTIFICATION_EVENT_TYPES, notificationEventSchema, notificationEventTypeSchema } from './event.js';
export { DELIVERY_NAMESPACE, idempotencyKey } from './idempotency.js';
export type { LinkSettings, NotificationLinks } from './links.js';
export { eventLinks } from './links.js';
export type { Clock, Notifier, NotifierOptions, PlannedDelivery } from './notifier.js';
export { createNotifier } from './notifier.js';
export { createChannels, notifierSettings } from './runtime-channels.js';
export type { Sleep } from './scheduling.js';
export { signWebhookBody, verifyWebhookSignature, WEBHOOK_HEADERS } from './signature.js';
