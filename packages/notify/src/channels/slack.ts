import type { NotificationChannel } from '../channel.js';
import { filterOf, postJson } from '../channel.js';
import type { SlackChannelConfig } from '../config.js';
import { slackMessage } from './slack-message.js';

/** A Slack incoming webhook. Slack answers 200 `ok`, 4xx with a reason (not retried), 429 with `Retry-After`. */
export function slackChannel(name: string, config: SlackChannelConfig): NotificationChannel {
  return {
    name,
    type: 'slack',
    accepts: filterOf(config),
    deliver: (event, ctx) =>
      postJson(config.webhookUrl, JSON.stringify(slackMessage(event, ctx.links, config)), {}, ctx),
  };
}
