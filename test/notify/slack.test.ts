import { createMemoryDeliveryLog, createNotifier } from '@gantry/notify';
import type { SlackChannelConfig } from '@gantry/notify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Receiver } from './support.js';
import { recordingSleep, startReceiver, succeeded, verificationFailed } from './support.js';

interface SlackBody {
  text: string;
  blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[];
}

/** Every piece of text in the blocks, in order. */
const blockText = (b: SlackBody): string =>
  b.blocks
    .flatMap((x) => [x.text?.text, ...(x.fields ?? []).map((f) => f.text), ...(x.elements ?? []).map((e) => e.text)])
    .filter(Boolean)
    .join('\n');

describe('Slack incoming webhook notifications', () => {
  let r: Receiver | undefined;
  afterEach(async () => {
    await r?.stop();
    r = undefined;
  });
  const notifierFor = (config: Omit<SlackChannelConfig, 'type'>) => {
    const deliveryLog = createMemoryDeliveryLog();
    const notifier = createNotifier({
      channels: { team: { type: 'slack', ...config } },
      deliveryLog,
      sleep: recordingSleep().sleep,
      links: { dashboardUrl: 'https://gantry.example.com', commitUrl: 'https://github.com/{repository}/commit/{sha}' },
    });
    return { notifier, deliveryLog };
  };

  it('GIVEN a Slack channel WHEN a promotion succeeds THEN the message says pipeline, phase, from -> to, who and links, in blocks and in the fallback text', async () => {
    r = await startReceiver();
    const { notifier, deliveryLog } = notifierFor({ webhookUrl: r.url, mentions: { 'bob@example.com': 'U024BE7LH' } });

    notifier.notify(succeeded());
    await notifier.drain();

    const body = r.received[0]?.json() as SlackBody;
    expect(body.text).toBe(
      'Promotion succeeded: web/production 1.2.3 → 1.2.4 by alice — author Bob Builder &lt;bob@example.com&gt; — <https://gantry.example.com/pipelines/web/phases/production?promotion=0b6a3c1e-2f4d-4c8e-9a7b-5d1e3f2a4b6c|promotion>',
    );
    const text = blockText(body);
    expect(text).toContain(':white_check_mark: *Promotion succeeded*: *web* to *production*');
    expect(text).toContain('*Version*\n`1.2.3 → 1.2.4`');
    expect(text).toContain('*Phase*\nstaging → production');
    expect(text).toContain('*Triggered by*\nalice');
    // a success does not ping the author by default
    expect(text).toContain('*Author*\nBob Builder &lt;bob@example.com&gt;');
    expect(text).toContain(`<https://github.com/acme/web/commit/${'a'.repeat(40)}|aaaaaaa>`);
    expect(text).toContain('|View promotion>');
    expect(deliveryLog.records()).toEqual([expect.objectContaining({ channelType: 'slack', outcome: 'delivered' })]);
  });

  it('GIVEN the author maps to a Slack member WHEN verification fails THEN the author is mentioned and the failing check and its output are shown', async () => {
    r = await startReceiver();
    const { notifier } = notifierFor({ webhookUrl: r.url, mentions: { 'BOB@example.com': 'U024BE7LH' } });

    notifier.notify(verificationFailed());
    await notifier.drain();

    const body = r.received[0]?.json() as SlackBody;
    expect(body.text).toBe(
      'Verification failed: web/production 1.2.3 → 1.2.4 by alice — author <@U024BE7LH> — check smoke (command): exited 1 — <https://gantry.example.com/pipelines/web/phases/production?promotion=0b6a3c1e-2f4d-4c8e-9a7b-5d1e3f2a4b6c|promotion>',
    );
    const text = blockText(body);
    expect(text).toContain(':warning: *Verification failed*');
    expect(text).toContain('*Author*\n<@U024BE7LH>');
    expect(text).toContain('check smoke (command): exited 1\n```GET /health -&gt; 503\n```');
  });

  it('GIVEN Slack answers channel_not_found WHEN notified THEN the failure is recorded with Slack’s reason and not retried', async () => {
    r = await startReceiver(() => ({ status: 404, body: 'channel_not_found' }));
    const { notifier, deliveryLog } = notifierFor({ webhookUrl: r.url });

    notifier.notify(succeeded());
    await notifier.drain();

    expect(r.received).toHaveLength(1);
    expect(deliveryLog.records()).toEqual([
      expect.objectContaining({ outcome: 'failed', statusCode: 404, error: 'HTTP 404: channel_not_found' }),
    ]);
  });
});
