import type { Duration } from '@gantry/core';
import type { Octokit } from '@octokit/rest';
import type { AttemptContext, AttemptOutcome, NotificationChannel } from '../channel.js';
import { filterOf, networkOutcome, parseRetryAfter } from '../channel.js';
import type { GitHubStatusChannelConfig } from '../config.js';
import type { NotificationEvent } from '../event.js';
import { describeChange, describeTrigger, eventDetail, truncate } from '../wording.js';

export const DEFAULT_GITHUB_API = 'https://api.github.com';
export const DEFAULT_STATUS_CONTEXT = 'gantry/{pipeline}/{phase}';

type CommitState = 'error' | 'failure' | 'pending' | 'success';

const STATUS_WORDS: Record<Exclude<NotificationEvent['type'], 'promotion.succeeded'>, string> = {
  'promotion.failed': 'promotion failed',
  'verification.failed': 'verification failed',
  'deployment.degraded': 'deployment degraded',
  'approval.requested': 'waiting for approval',
  'approval.decided': 'approval',
};

/** The state and the (at most 140 characters) description GitHub shows beside the context. */
export function commitStatusOf(event: NotificationEvent): { state: CommitState; description: string } {
  const change = describeChange(event);
  const detail = eventDetail(event);
  const description =
    event.type === 'promotion.succeeded'
      ? `${change} promoted by ${describeTrigger(event.trigger)}`
      : `${STATUS_WORDS[event.type]}: ${detail?.summary ?? change}`;
  // waiting for approval, or approved and on its way: not done yet
  const state: CommitState =
    event.type === 'promotion.succeeded'
      ? 'success'
      : event.type === 'approval.requested' ||
          (event.type === 'approval.decided' && event.approval.decision === 'approved')
        ? 'pending'
        : 'failure';
  return { state, description: truncate(description, 140) };
}

interface OctokitFailure {
  status: number;
  response?: { headers: Record<string, string | number | undefined>; data: unknown };
}
const isOctokitFailure = (e: unknown): e is OctokitFailure =>
  e instanceof Error && typeof (e as { status?: unknown }).status === 'number';

/** GitHub's rate limits come as 429, or 403 with `x-ratelimit-remaining: 0` or a `retry-after` (secondary limits). */
function githubOutcome(e: OctokitFailure, now: Date): AttemptOutcome {
  const headers = e.response?.headers ?? {};
  const header = (n: string): string | undefined => (headers[n] === undefined ? undefined : String(headers[n]));
  const data = e.response?.data;
  const message =
    typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string'
      ? (data as { message: string }).message
      : '';
  const rateLimited =
    e.status === 429 ||
    (e.status === 403 && (header('x-ratelimit-remaining') === '0' || header('retry-after') !== undefined));
  let retryAfter: Duration | undefined = parseRetryAfter(header('retry-after'), now);
  const reset = Number(header('x-ratelimit-reset'));
  if (!retryAfter && rateLimited && Number.isFinite(reset) && reset > 0) {
    retryAfter = { ms: Math.max(0, reset * 1000 - now.getTime()) };
  }
  const retryable = rateLimited || e.status === 408 || e.status >= 500;
  return {
    kind: 'error',
    statusCode: e.status,
    error: `GitHub ${e.status}${message ? `: ${message}` : ''}`,
    retryable,
    ...(retryable && retryAfter ? { retryAfter } : {}),
  };
}

/**
 * A commit status on the event's source commit, through Octokit. The context is one per
 * pipeline and phase, so a newer event replaces the older status in GitHub's UI.
 */
export function githubStatusChannel(
  name: string,
  config: GitHubStatusChannelConfig,
  fetchImpl: typeof fetch,
): NotificationChannel {
  let client: Promise<Octokit> | undefined;
  /** Octokit, imported and made on the first delivery: a command that delivers nothing never loads it. */
  const octokitClient = (): Promise<Octokit> =>
    (client ??= import('@octokit/rest').then(
      ({ Octokit }) =>
        new Octokit({
          auth: config.token,
          baseUrl: (config.baseUrl ?? DEFAULT_GITHUB_API).replace(/\/+$/, ''),
          userAgent: 'Gantry-Notify/1',
          request: { fetch: fetchImpl },
          // Octokit logs to the console by default; the notifier records outcomes instead
          log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
        }),
    ));
  const accepts = filterOf(config);
  return {
    name,
    type: 'github-status',
    accepts,
    async deliver(event, ctx: AttemptContext): Promise<AttemptOutcome> {
      const commit = event.sourceCommit;
      if (!commit) return { kind: 'skipped', reason: 'the event has no source commit' };
      const repository = commit.repository ?? config.repository;
      const [owner, repo] = repository?.split('/') ?? [];
      if (!owner || !repo) return { kind: 'skipped', reason: 'no GitHub repository for the source commit' };
      const { state, description } = commitStatusOf(event);
      const octokit = await octokitClient();
      try {
        const res = await octokit.rest.repos.createCommitStatus({
          owner,
          repo,
          sha: commit.sha,
          state,
          description,
          context: (config.context ?? DEFAULT_STATUS_CONTEXT)
            .replaceAll('{pipeline}', event.pipeline)
            .replaceAll('{phase}', event.phase),
          ...(ctx.links.promotion ? { target_url: ctx.links.promotion } : {}),
          request: { signal: ctx.signal },
        });
        return { kind: 'delivered', statusCode: res.status };
      } catch (e) {
        if (isOctokitFailure(e) && e.response) return githubOutcome(e, ctx.now);
        return networkOutcome(e instanceof Error && e.cause !== undefined ? e.cause : e);
      }
    },
  };
}
