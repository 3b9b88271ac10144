import { createMemoryDeliveryLog, createNotifier } from '@gantry/notify';
import type { GitHubStatusChannelConfig } from '@gantry/notify';
import { createBareRepo, hasTool, runGit, startGitHubFake, tempDir } from '@gantry/testing';
import type { GitHubFake, TempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingSleep, succeeded, verificationFailed } from './support.js';

const TOKEN = 'ghp_notify_token';

describe.skipIf(!hasTool('git'))('GitHub commit status notifications (through the GitHub fake)', () => {
  let tmp: TempDir;
  let fake: GitHubFake;
  let sha: string;
  beforeEach(async () => {
    tmp = await tempDir('gantry-ghstatus-');
    const dir = `${tmp.path}/web.git`;
    await createBareRepo(dir, { 'src/app.ts': 'export {};\n' });
    sha = (await runGit(['rev-parse', 'refs/heads/main'], dir)).trim();
    fake = await startGitHubFake({ repositories: { 'acme/web': dir }, tokens: { [TOKEN]: 'gantry-bot' } });
  });
  afterEach(async () => {
    await fake.stop();
    await tmp.remove();
  });

  const notifierFor = (config: Partial<GitHubStatusChannelConfig> = {}) => {
    const deliveryLog = createMemoryDeliveryLog();
    const { sleep, waits } = recordingSleep();
    const notifier = createNotifier({
      channels: { github: { type: 'github-status', token: TOKEN, baseUrl: fake.url, ...config } },
      deliveryLog,
      sleep,
      random: () => 0.5,
      links: { dashboardUrl: 'https://gantry.example.com' },
    });
    return { notifier, deliveryLog, waits };
  };

  it('GIVEN a promotion of a version built from a commit WHEN it succeeds THEN the commit gets a success status in the phase’s context, linking the promotion', async () => {
    const { notifier, deliveryLog } = notifierFor();

    notifier.notify(succeeded({ sourceCommit: { sha, repository: 'acme/web' } }));
    await notifier.drain();

    expect(fake.statuses('acme/web', sha)).toEqual([
      expect.objectContaining({
        state: 'success',
        context: 'gantry/web/production',
        description: '1.2.3 -> 1.2.4 promoted by alice',
        targetUrl:
          'https://gantry.example.com/pipelines/web/phases/production?promotion=0b6a3c1e-2f4d-4c8e-9a7b-5d1e3f2a4b6c',
        creator: expect.objectContaining({ login: 'gantry-bot' }),
      }),
    ]);
    expect(fake.requests()[0]?.headers.authorization).toBe(`token ${TOKEN}`);
    expect(deliveryLog.records()).toEqual([
      expect.objectContaining({ channelType: 'github-status', outcome: 'delivered', statusCode: 201, attempt: 1 }),
    ]);
  });

  it('GIVEN verification fails WHEN notified THEN the same context turns to failure, naming the check', async () => {
    const { notifier } = notifierFor({ context: 'deploy/{phase}' });

    notifier.notify(succeeded({ sourceCommit: { sha, repository: 'acme/web' } }));
    await notifier.drain();
    notifier.notify(verificationFailed({ sourceCommit: { sha, repository: 'acme/web' } }));
    await notifier.drain();

    const combined = (await (
      await fetch(`${fake.url}/repos/acme/web/commits/main/status`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { state: string; statuses: { context: string; state: string; description: string }[] };
    expect(combined.state).toBe('failure');
    expect(combined.statuses).toEqual([
      expect.objectContaining({
        context: 'deploy/production',
        state: 'failure',
        description: 'verification failed: check smoke (command): exited 1',
      }),
    ]);
  });

  it('GIVEN a source commit the repository does not have WHEN notified THEN GitHub’s 422 is recorded as a failure, not retried', async () => {
    const { notifier, deliveryLog, waits } = notifierFor();

    notifier.notify(succeeded({ sourceCommit: { sha: 'b'.repeat(40), repository: 'acme/web' } }));
    await notifier.drain();

    expect(waits).toEqual([]);
    expect(deliveryLog.records()).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: 'failed',
        statusCode: 422,
        error: `GitHub 422: No commit found for SHA: ${'b'.repeat(40)}`,
      }),
    ]);
  });

  it('GIVEN GitHub rate-limits the first request WHEN notified THEN the retry waits for Retry-After and the status lands', async () => {
    const { notifier, deliveryLog, waits } = notifierFor();
    fake.failNext({ status: 403, retryAfter: 60 });

    notifier.notify(succeeded({ sourceCommit: { sha, repository: 'acme/web' } }));
    await notifier.drain();

    expect(waits).toEqual([{ ms: 60_000 }]);
    expect(deliveryLog.records().map((d) => [d.outcome, d.statusCode])).toEqual([
      ['retrying', 403],
      ['delivered', 201],
    ]);
    expect(fake.statuses('acme/web', sha)).toHaveLength(1);
  });

  it('GIVEN a GitHub Enterprise base URL WHEN notified THEN the status goes through /api/v3', async () => {
    const { notifier, deliveryLog } = notifierFor({ baseUrl: fake.enterpriseUrl });

    notifier.notify(succeeded({ sourceCommit: { sha, repository: 'acme/web' } }));
    await notifier.drain();

    expect(deliveryLog.records().map((d) => d.outcome)).toEqual(['delivered']);
    expect(fake.statuses('acme/web', sha)).toHaveLength(1);
  });

  it('GIVEN a token GitHub does not know WHEN notified THEN 401 is recorded once', async () => {
    const { notifier, deliveryLog } = notifierFor({ token: 'expired' });

    notifier.notify(succeeded({ sourceCommit: { sha, repository: 'acme/web' } }));
    await notifier.drain();

    expect(deliveryLog.records()).toEqual([
      expect.objectContaining({ outcome: 'failed', statusCode: 401, error: 'GitHub 401: Bad credentials' }),
    ]);
  });

  it('GIVEN events without a source commit, or only the channel names the repository WHEN notified THEN the first is skipped and the second lands', async () => {
    const { notifier, deliveryLog } = notifierFor({ repository: 'acme/web' });

    notifier.notify(succeeded({ sourceCommit: undefined }));
    notifier.notify(succeeded({ promotionId: 'other', sourceCommit: { sha } }));
    await notifier.drain();

    expect(deliveryLog.records().map((d) => [d.promotionId, d.outcome, d.error])).toEqual(
      expect.arrayContaining([
        ['0b6a3c1e-2f4d-4c8e-9a7b-5d1e3f2a4b6c', 'skipped', 'the event has no source commit'],
        ['other', 'delivered', undefined],
      ]),
    );
    expect(fake.statuses('acme/web', sha)).toHaveLength(1);
  });
});
