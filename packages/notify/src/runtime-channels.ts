import type { Duration } from '@gantry/core';
import { parseDuration, ValidationError } from '@gantry/core';
import type { RetryPolicy } from './backoff.js';
import type { NotificationChannel } from './channel.js';
import { githubStatusChannel } from './channels/github-status.js';
import { slackChannel } from './channels/slack.js';
import { webhookChannel } from './channels/webhook.js';
import type { NotificationChannelConfig, NotificationsConfig } from './config.js';
import { notificationChannelSchema } from './config.js';
import type { LinkSettings } from './links.js';

/** Builds the runtime channels of a config, checking each against its schema. */
export function createChannels(
  configs: Readonly<Record<string, NotificationChannelConfig>>,
  fetchImpl: typeof fetch,
): { channel: NotificationChannel; timeout?: Duration }[] {
  return Object.entries(configs).map(([name, raw]) => {
    const parsed = notificationChannelSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ValidationError(
        `notification channel "${name}"`,
        parsed.error.issues.map((i) => ({ path: [name, ...i.path.map(String)].join('.'), message: i.message })),
      );
    }
    const config = parsed.data;
    const timeout = config.timeout ? parseDuration(config.timeout) : undefined;
    const channel =
      config.type === 'slack'
        ? slackChannel(name, config)
        : config.type === 'webhook'
          ? webhookChannel(name, config)
          : githubStatusChannel(name, config, fetchImpl);
    return { channel, ...(timeout ? { timeout } : {}) };
  });
}

/** The notifier options a `notifications:` section gives (everything but the ports). */
export function notifierSettings(config: NotificationsConfig): {
  channels: Readonly<Record<string, NotificationChannelConfig>>;
  links: LinkSettings;
  retry: Partial<RetryPolicy>;
} {
  const retry: Partial<RetryPolicy> = {
    ...(config.retry?.attempts !== undefined ? { attempts: config.retry.attempts } : {}),
    ...(config.retry?.initialDelay ? { initialDelay: parseDuration(config.retry.initialDelay) } : {}),
    ...(config.retry?.maxDelay ? { maxDelay: parseDuration(config.retry.maxDelay) } : {}),
  };
  return {
    channels: config.channels,
    links: {
      ...(config.dashboardUrl ? { dashboardUrl: config.dashboardUrl } : {}),
      ...(config.commitUrl ? { commitUrl: config.commitUrl } : {}),
    },
    retry,
  };
}
