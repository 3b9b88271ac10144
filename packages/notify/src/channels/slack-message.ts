import type { SlackChannelConfig } from '../config.js';
import type { NotificationEvent } from '../event.js';
import { isFailure } from '../event.js';
import type { NotificationLinks } from '../links.js';
import {
  describeChange,
  describePerson,
  describeTrigger,
  eventDetail,
  shortSha,
  TITLES,
  truncate,
} from '../wording.js';

/** A Slack incoming-webhook message: Block Kit blocks and the `text` shown in notifications. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

/** Slack would show `->` fine, but `>` must be escaped in mrkdwn; an arrow reads better anyway. */
const ARROW = '→';

const EMOJI: Record<NotificationEvent['type'], string> = {
  'promotion.succeeded': ':white_check_mark:',
  'promotion.failed': ':x:',
  'verification.failed': ':warning:',
  'deployment.degraded': ':rotating_light:',
  'approval.requested': ':raised_hand:',
  'approval.decided': ':ballot_box_with_check:',
};

/** Slack's mrkdwn control characters (docs: "Formatting text for app surfaces"). */
export const escapeMrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const link = (url: string, label: string): string =>
  `<${url.replace(/[|>]/g, encodeURIComponent)}|${escapeMrkdwn(label)}>`;

/** `<@U123>` when the author maps to a Slack member and mentioning is on; their name otherwise. */
function authorText(event: NotificationEvent, config: SlackChannelConfig): string | undefined {
  const a = event.author;
  if (!a) return undefined;
  const when = config.mentionAuthor ?? 'failures';
  const mention = when === 'always' || (when === 'failures' && isFailure(event));
  if (mention && config.mentions) {
    const keys = [a.email, a.login].filter((k): k is string => k !== undefined).map((k) => k.toLowerCase());
    const found = Object.entries(config.mentions).find(([k]) => keys.includes(k.toLowerCase()));
    if (found) return `<@${found[1]}>`;
  }
  const who = describePerson(a);
  return who ? escapeMrkdwn(who) : undefined;
}

/** The message for one event: who promoted what where, the author, the failure, the links. */
export function slackMessage(
  event: NotificationEvent,
  links: NotificationLinks,
  config: SlackChannelConfig,
): SlackMessage {
  const where = `${event.pipeline}/${event.phase}`;
  const author = authorText(event, config);
  const detail = eventDetail(event);
  const who = describeTrigger(event.trigger);

  const fields = [
    `*Version*\n\`${escapeMrkdwn(describeChange(event, ARROW))}\``,
    `*Phase*\n${escapeMrkdwn(event.fromPhase ? `${event.fromPhase} ${ARROW} ${event.phase}` : event.phase)}`,
    `*Triggered by*\n${escapeMrkdwn(who)}`,
    ...(author ? [`*Author*\n${author}`] : []),
    ...(event.sourceCommit
      ? [
          `*Commit*\n${links.commit ? link(links.commit, shortSha(event.sourceCommit.sha)) : `\`${shortSha(event.sourceCommit.sha)}\``}`,
        ]
      : []),
  ];
  const blocks: Record<string, unknown>[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${EMOJI[event.type]} *${TITLES[event.type]}*: *${escapeMrkdwn(event.pipeline)}* to *${escapeMrkdwn(event.phase)}*`,
      },
    },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  if (detail) {
    const output = detail.output ? `\n\`\`\`${escapeMrkdwn(truncate(detail.output, 2000))}\`\`\`` : '';
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `${escapeMrkdwn(truncate(detail.summary, 800))}${output}` },
    });
  }
  const linkParts = [
    ...(links.promotion
      ? [link(links.promotion, event.type === 'approval.requested' ? 'Approve or reject' : 'View promotion')]
      : []),
    ...(links.commit && event.sourceCommit ? [link(links.commit, `Commit ${shortSha(event.sourceCommit.sha)}`)] : []),
    ...(links.configCommit && event.configCommit
      ? [link(links.configCommit, `Config commit ${shortSha(event.configCommit.sha)}`)]
      : []),
  ];
  if (linkParts.length > 0)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: linkParts.join(' · ') }] });

  // the fallback is what notifications and screen readers show: it must stand alone
  const text = [
    `${TITLES[event.type]}: ${escapeMrkdwn(where)} ${escapeMrkdwn(describeChange(event, ARROW))} by ${escapeMrkdwn(who)}`,
    author ? `author ${author}` : undefined,
    detail ? escapeMrkdwn(truncate(detail.summary, 300)) : undefined,
    links.promotion ? link(links.promotion, 'promotion') : undefined,
  ]
    .filter((p): p is string => p !== undefined)
    .join(' — ');
  return { text, blocks };
}
