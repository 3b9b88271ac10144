import { describe, expect, it } from 'vitest';
import { slackMessage } from './channels/slack-message.js';
import { event, failed } from './events.test-support.js';

const config = { type: 'slack' as const, webhookUrl: 'https://hooks.slack.test/x', mentions: { bob: 'U1' } };

describe('slackMessage', () => {
  it('GIVEN names with Slack control characters WHEN rendered THEN they are escaped, links are not', () => {
    const m = slackMessage(
      failed('rejected <main> & retried'),
      { promotion: 'https://g.example.com/p?a=1&b=2' },
      { ...config, mentionAuthor: 'never' },
    );

    expect(m.text).toBe(
      'Promotion failed: web/production 1.2.3 → 1.2.4 by alice — author Bob &lt;bob@example.com&gt; — push_rejected: rejected &lt;main&gt; &amp; retried — <https://g.example.com/p?a=1&b=2|promotion>',
    );
  });

  it('GIVEN mentionAuthor always and a login mapping WHEN a success is rendered THEN the author is mentioned', () => {
    const m = slackMessage(event({ author: { login: 'Bob' } }), {}, { ...config, mentionAuthor: 'always' });

    expect(m.text).toContain('author <@U1>');
    expect(JSON.stringify(m.blocks)).toContain('*Author*\\n<@U1>');
  });

  it('GIVEN a first promotion without links or author WHEN rendered THEN the message stands without them', () => {
    const m = slackMessage(event({ from: null, author: undefined, sourceCommit: undefined }), {}, config);

    expect(m.text).toBe('Promotion succeeded: web/production 1.2.4 by alice');
    expect(m.blocks.map((b) => b.type)).toEqual(['section', 'section']);
  });
});
