import { z } from 'zod';
import { notificationEventTypeSchema } from './event.js';

/**
 * The `notifications:` section of `gantry.yaml`: plain data, one schema per channel type.
 * Secrets (webhook URLs of Slack, signing secrets, tokens) come from `${ENV_VAR}`s.
 */

const name = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits, ".", "_" and "-", at most 63');

const duration = z
  .string()
  .regex(/^(\d+(\.\d+)?(ms|s|m|h|d))+$/, 'a duration such as 500ms, 30s, 5m or 1h30m')
  .describe('A duration: 500ms, 30s, 5m, 1h30m, 2d.');

/** Which events a channel takes; every field left out matches everything. */
const filters = {
  events: z
    .array(notificationEventTypeSchema)
    .min(1)
    .optional()
    .describe('Event types sent to this channel (all when left out).'),
  pipelines: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Pipeline names, * wildcards allowed (all when left out).'),
  phases: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Phase names, * wildcards allowed (all when left out).'),
  timeout: duration.optional().describe('How long one delivery attempt may take (10s).'),
};

export const slackChannelSchema = z
  .strictObject({
    type: z.literal('slack'),
    webhookUrl: z.url().describe('The Slack incoming webhook URL (a secret: use ${ENV_VAR}).'),
    mentions: z
      .record(z.string().min(1), z.string().regex(/^[UW][A-Z0-9]+$/, 'a Slack member ID such as U024BE7LH'))
      .optional()
      .describe('Author e-mail or GitHub login -> Slack member ID, so messages mention the author.'),
    mentionAuthor: z
      .enum(['failures', 'always', 'never'])
      .optional()
      .describe(
        'When the author is mentioned (failures: a failed promotion or verification, a degraded deployment, a rejection).',
      ),
    ...filters,
  })
  .describe('A Slack incoming webhook.');

export const webhookChannelSchema = z
  .strictObject({
    type: z.literal('webhook'),
    url: z.url().describe('Where the JSON body is POSTed.'),
    secret: z.string().min(16).describe('HMAC-SHA256 key of X-Gantry-Signature (at least 16 characters).'),
    headers: z
      .record(z.string().regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name'), z.string())
      .optional()
      .describe('Extra request headers (e.g. an Authorization the receiver wants).'),
    ...filters,
  })
  .describe('A generic webhook: signed JSON.');

export const githubStatusChannelSchema = z
  .strictObject({
    type: z.literal('github-status'),
    token: z.string().min(1).describe('A GitHub token allowed to write commit statuses (use ${ENV_VAR}).'),
    baseUrl: z
      .url()
      .optional()
      .describe('The REST API root: https://api.github.com (default) or https://<ghes-host>/api/v3.'),
    repository: z
      .string()
      .regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name')
      .optional()
      .describe("owner/name of the source repository, when events don't carry it."),
    context: z
      .string()
      .min(1)
      .optional()
      .describe('The status context; {pipeline} and {phase} are replaced (gantry/{pipeline}/{phase}).'),
    ...filters,
  })
  .describe('A commit status on the source commit of the promoted version.');

export const notificationChannelSchema = z.discriminatedUnion('type', [
  slackChannelSchema,
  webhookChannelSchema,
  githubStatusChannelSchema,
]);
export type NotificationChannelConfig = z.infer<typeof notificationChannelSchema>;
export type SlackChannelConfig = z.infer<typeof slackChannelSchema>;
export type WebhookChannelConfig = z.infer<typeof webhookChannelSchema>;
export type GitHubStatusChannelConfig = z.infer<typeof githubStatusChannelSchema>;
export type ChannelType = NotificationChannelConfig['type'];

export const notificationsSchema = z
  .strictObject({
    dashboardUrl: z.url().optional().describe("The dashboard's public URL; messages link to the promotion there."),
    commitUrl: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Link for commits that carry a repository but no URL: {repository} and {sha} are replaced (https://github.com/{repository}/commit/{sha}).',
      ),
    retry: z
      .strictObject({
        attempts: z.number().int().min(1).max(20).optional().describe('Attempts per delivery (5).'),
        initialDelay: duration.optional().describe('Back-off before the second attempt (1s), doubling after.'),
        maxDelay: duration.optional().describe('Longest back-off between attempts (5m).'),
      })
      .optional(),
    channels: z.record(name, notificationChannelSchema).describe('Channels by name.'),
  })
  .describe('Notifications on promotion events.');
export type NotificationsConfig = z.infer<typeof notificationsSchema>;
