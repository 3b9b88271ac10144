import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import { verifyWebhookSignature } from '@gantry/notify';
import type { Promotion } from '@gantry/store';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { sandboxServer } from './sandbox-server.js';
import { until } from './until.js';
import { gateProduction, TWO_ADMINS } from '../support/gated-sandbox.js';

const SECRET = 'a-receiver-secret-of-some-length';
const DASHBOARD = 'https://gantry.example.com';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** An HTTP receiver that records what it gets: a Slack incoming webhook or a generic one. */
async function receiver(): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, got, close: () => new Promise((r) => server.close(() => r())) };
}

const typeOf = (r: Received): string => (JSON.parse(r.body) as { type?: string }).type ?? '';
/** Slack bodies carry no type: the fallback text starts with the event's title. */
const slackTexts = (got: Received[]): string[] => got.map((r) => (JSON.parse(r.body) as { text: string }).text);

describe('notifications: pending approvals', () => {
  it('GIVEN production needs two admin approvals and Slack and webhook channels WHEN a promotion waits THEN each channel gets one approval.requested; a re-judgement sends nothing; a newer version asks again; approving sends approval.decided', async () => {
    const hook = await receiver();
    const slack = await receiver();
    const tmp = await tempDir('gantry-approval-notify-');
    const dir = join(tmp.path, 'sandbox');
    await initSandbox(dir, { yaml: true });
    await gateProduction(
      dir,
      [TWO_ADMINS],
      `notifications:
  dashboardUrl: ${DASHBOARD}
  channels:
    team: { type: webhook, url: "${hook.url}", secret: ${SECRET}, events: [approval.requested, approval.decided] }
    chat: { type: slack, webhookUrl: "${slack.url}", events: [approval.requested] }
`,
    );
    const s = await sandboxServer({ tmp });
    try {
      const tokens: Record<string, string> = {};
      for (const name of ['ann', 'bob', 'carl'])
        tokens[name] = (await s.server.store.createToken({ name, role: 'admin' })).token;
      const ask = async (): Promise<Promotion> => {
        await s.api('/api/v1/pipelines/app/phases/staging/promotions', {
          method: 'POST',
          json: {},
          token: tokens.ann as string,
        });
        await s.server.deps.promotions.idle();
        const res = await s.api('/api/v1/pipelines/app/phases/production/promotions', {
          method: 'POST',
          json: {},
          token: tokens.ann as string,
        });
        return ((await res.json()) as { promotion: Promotion }).promotion;
      };

      // GIVEN / WHEN ann asks for production
      await pushSandboxImage(s.dir, new Date('2025-01-01T00:00:00Z'));
      const first = await ask();
      expect(first.state).toBe('waiting');

      // THEN the webhook gets one approval.requested, signed, saying who asked and who may approve
      await until(
        async () => (hook.got.length >= 1 && slack.got.length >= 1 ? true : undefined),
        'approval.requested delivered',
      );
      const delivery = hook.got[0] as Received;
      expect(verifyWebhookSignature(SECRET, delivery.body, delivery.headers['x-gantry-signature'] as string)).toBe(
        true,
      );
      expect(delivery.headers['x-gantry-event']).toBe('approval.requested');
      const link = `${DASHBOARD}/pipelines/app/phases/production?promotion=${first.id}`;
      expect(JSON.parse(delivery.body)).toMatchObject({
        type: 'approval.requested',
        event: {
          promotionId: first.id,
          pipeline: 'app',
          phase: 'production',
          fromPhase: 'staging',
          to: { version: first.toVersion, digest: first.toDigest },
          trigger: { kind: 'person', actor: 'ann' },
          approval: {
            gate: 'two-admins',
            required: 2,
            approved: 0,
            eligible: { minRole: 'admin', tokens: [], text: expect.stringMatching(/admin/) },
            requester: 'ann',
          },
        },
        links: { promotion: link },
      });
      // AND Slack's message says the same in words, with the link to the waiting promotion
      const [text] = slackTexts(slack.got);
      expect(text).toMatch(/^Approval requested: app\/production .+ by ann/);
      expect(text).toContain('needs 2 more approvals from');
      expect(text).toContain('not ann, who requested it');
      expect(slack.got[0]?.body).toContain(`<${link}|Approve or reject>`);

      // WHEN it is judged again and still waits (the requester's own approval does not count, bob's is one of two)
      expect(
        (
          (await (
            await s.api(`/api/v1/promotions/${first.id}/approve`, {
              method: 'POST',
              json: {},
              token: tokens.ann as string,
            })
          ).json()) as Promotion
        ).state,
      ).toBe('waiting');
      expect(
        (
          (await (
            await s.api(`/api/v1/promotions/${first.id}/approve`, {
              method: 'POST',
              json: {},
              token: tokens.bob as string,
            })
          ).json()) as Promotion
        ).state,
      ).toBe('waiting');
      await new Promise((r) => setTimeout(r, 300));
      // THEN nothing more is sent
      expect(hook.got.map(typeOf)).toEqual(['approval.requested']);
      expect(slack.got).toHaveLength(1);

      // WHEN a newer version is asked for
      await pushSandboxImage(s.dir, new Date('2025-01-02T00:00:00Z'));
      const second = await ask();
      expect(second.state).toBe('waiting');
      expect(second.toDigest).not.toBe(first.toDigest);
      // THEN its promotion asks on its own
      await until(async () => (hook.got.length >= 2 && slack.got.length >= 2 ? true : undefined), 'second request');
      expect(JSON.parse((hook.got[1] as Received).body)).toMatchObject({
        type: 'approval.requested',
        event: { promotionId: second.id, to: { version: second.toVersion }, approval: { approved: 0 } },
      });

      // WHEN two admins besides the requester approve it
      for (const who of ['bob', 'carl'])
        await s.api(`/api/v1/promotions/${second.id}/approve`, {
          method: 'POST',
          json: {},
          token: tokens[who] as string,
        });
      await s.server.deps.promotions.idle();
      // THEN the webhook hears it was approved, and by whom; Slack (not subscribed) does not
      await until(async () => (hook.got.length >= 3 ? true : undefined), 'approval.decided delivered');
      expect(JSON.parse((hook.got[2] as Received).body)).toMatchObject({
        type: 'approval.decided',
        event: {
          promotionId: second.id,
          approval: { gate: 'two-admins', decision: 'approved', decisions: [{ by: 'bob' }, { by: 'carl' }] },
        },
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(hook.got.map(typeOf)).toEqual(['approval.requested', 'approval.requested', 'approval.decided']);
      expect(slack.got).toHaveLength(2);
      expect(new Set(hook.got.map((g) => g.headers['x-gantry-delivery'])).size).toBe(3);
    } finally {
      await s.close();
      await hook.close();
      await slack.close();
    }
  });
});
