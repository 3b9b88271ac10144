import { setTimeout as sleep } from 'node:timers/promises';
import type {
  Logger,
  ProposalChecks,
  ProposalProvider,
  ProposalProviders,
  ProposalRead,
  ProposalRecord,
} from '@gantry/core';
import { GantryError, silentLogger } from '@gantry/core';
import type { Octokit } from '@octokit/rest';
import type { GitHubAppCredentials } from './github-app-auth.js';
import { githubAppTokens } from './github-app-auth.js';

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
/** Waits up to this long for a rate limit to pass before a promotion's request gives up. */
const MAX_WAIT_MS = 60_000;

export interface GitHubProposalsOptions {
  /** `owner/name` on GitHub. */
  readonly repository: string;
  /** A personal access token (classic with `repo`, or fine-grained with pull requests and contents: write). */
  readonly token?: string;
  /** A GitHub App installation instead of a token: installation tokens are minted and refreshed. */
  readonly app?: GitHubAppCredentials;
  /** `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise Server. */
  readonly apiUrl?: string;
  /** How often open proposals are read (ms); 0: never. */
  readonly pollIntervalMs: number;
  readonly logger?: Logger;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

interface Failure {
  readonly status: number;
  readonly response?: { readonly headers: Record<string, string | number | undefined>; readonly data: unknown };
}
const isFailure = (e: unknown): e is Failure =>
  e instanceof Error && typeof (e as { status?: unknown }).status === 'number';

/** The parts of GitHub's `pull-request` schema Gantry reads. */
interface PullJson {
  readonly number: number;
  readonly html_url: string;
  readonly state: string;
  readonly merged?: boolean | null;
  readonly merged_at?: string | null;
  readonly merge_commit_sha?: string | null;
  readonly head: { readonly ref: string; readonly sha: string };
  readonly base: { readonly ref: string };
  readonly node_id?: string;
  readonly auto_merge?: unknown;
}

const GRAPHQL_METHOD = { merge: 'MERGE', squash: 'SQUASH', rebase: 'REBASE' } as const;
const ENABLE_AUTO_MERGE = `mutation($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { number autoMergeRequest { mergeMethod } }
  }
}`;

/** GitHub's pull request as Gantry records it. */
export function proposalOfPull(repository: string, pull: PullJson): ProposalRecord {
  const merged = pull.merged === true || (pull.merged_at ?? null) !== null;
  return {
    provider: 'github',
    repository,
    number: pull.number,
    url: pull.html_url,
    state: merged ? 'merged' : pull.state === 'open' ? 'open' : 'closed',
    headBranch: pull.head.ref,
    headSha: pull.head.sha,
    baseBranch: pull.base.ref,
    ...(merged && pull.merge_commit_sha ? { mergedCommit: pull.merge_commit_sha } : {}),
  };
}

/**
 * Pull requests on GitHub (or GitHub Enterprise Server) through Octokit. One open pull
 * request per proposal branch: a newer version rewrites its title and body. Rate limits
 * (429, or 403 with `x-ratelimit-remaining: 0` or `retry-after`) are waited out as GitHub says,
 * and every later call of this repository waits too; the token never appears in logs or errors.
 */
export function githubProposals(o: GitHubProposalsOptions): ProposalProvider {
  const [owner = '', repo = ''] = o.repository.split('/');
  const logger = o.logger ?? silentLogger;
  const now = o.now ?? Date.now;
  const baseUrl = (o.apiUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, '');
  if (!o.token && !o.app) throw new Error(`GitHub provider of ${o.repository}: a token or an app is needed`);
  const appTokens = o.app
    ? githubAppTokens({ ...o.app, apiUrl: baseUrl, ...(o.fetch ? { fetch: o.fetch } : {}), now })
    : undefined;
  let client: Promise<Octokit> | undefined;
  /** Octokit, imported and made on the first API call: a command that never calls GitHub (status) never loads it. */
  const octokitClient = (): Promise<Octokit> =>
    (client ??= import('@octokit/rest').then(({ Octokit }) => {
      const octokit = new Octokit({
        ...(o.token && !appTokens ? { auth: o.token } : {}),
        baseUrl,
        userAgent: 'Gantry-Proposals/1',
        ...(o.fetch ? { request: { fetch: o.fetch } } : {}),
        // Octokit logs to the console by default; Gantry logs what it decides, never the token
        log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      });
      if (appTokens) {
        // every REST and GraphQL request carries the current installation token (minted or refreshed here)
        octokit.hook.before('request', async (options) => {
          options.headers.authorization = `token ${await appTokens.token()}`;
        });
      }
      return octokit;
    }));
  let blockedUntil = 0;

  const describe = (e: Failure, what: string): GantryError => {
    const headers = e.response?.headers ?? {};
    const header = (n: string) => (headers[n] === undefined ? undefined : String(headers[n]));
    const data = e.response?.data as { message?: string; errors?: Array<{ message?: string }> } | undefined;
    const said = [data?.message, ...(data?.errors ?? []).map((x) => x.message)].filter(Boolean).join(': ');
    const context = { repository: o.repository, status: e.status, action: what };
    if (e.status === 401) {
      // an installation token GitHub no longer takes (revoked): the next call mints another
      appTokens?.invalidate();
      return new GantryError(
        'proposal_unauthorized',
        `GitHub refused the token of ${o.repository} (401 ${said || 'Bad credentials'}) while trying to ${what}: it is expired or wrong`,
        context,
      );
    }
    if (e.status === 403 || e.status === 404) {
      const needs = header('x-accepted-github-permissions');
      return new GantryError(
        e.status === 403 ? 'proposal_unauthorized' : 'proposal_failed',
        `GitHub answered ${e.status} (${said || 'Forbidden'}) to ${what} in ${o.repository}${needs ? `: the token needs the permission ${needs}` : e.status === 404 ? ': the repository does not exist or the token cannot see it' : ': the token lacks a permission (pull requests: write, contents: write)'}`,
        { ...context, ...(needs ? { permission: needs } : {}) },
      );
    }
    return new GantryError(
      'proposal_failed',
      `GitHub answered ${e.status} (${said || 'error'}) to ${what} in ${o.repository}`,
      context,
    );
  };

  /** When a 429 or a rate-limiting 403 says to ask again; undefined for other failures. */
  const limitedUntil = (e: Failure): number | undefined => {
    if (e.status !== 429 && e.status !== 403) return undefined;
    const headers = e.response?.headers ?? {};
    const retryAfter = Number(headers['retry-after']);
    if (Number.isFinite(retryAfter) && headers['retry-after'] !== undefined) return now() + retryAfter * 1000;
    if (String(headers['x-ratelimit-remaining']) === '0') {
      const reset = Number(headers['x-ratelimit-reset']);
      return Number.isFinite(reset) ? reset * 1000 : now() + 60_000;
    }
    // 429 without advice: a minute, as GitHub's documentation recommends
    return e.status === 429 ? now() + 60_000 : undefined;
  };

  const rateLimited = (until: number) =>
    new GantryError(
      'proposal_rate_limited',
      `GitHub rate-limits requests for ${o.repository} until ${new Date(until).toISOString()}`,
      { repository: o.repository, until: new Date(until).toISOString(), retryable: true },
    );

  /** One API call, waiting out a rate limit when `wait` (a promotion) and it is short; else failing at once. */
  async function call<T>(what: string, fn: (octokit: Octokit) => Promise<T>, wait: boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const left = blockedUntil - now();
      if (left > 0) {
        if (!wait || left > MAX_WAIT_MS) throw rateLimited(blockedUntil);
        await sleep(left);
      }
      try {
        return await fn(await octokitClient());
      } catch (e) {
        if (!isFailure(e)) throw e;
        if (e.status === 304) throw e;
        const until = limitedUntil(e);
        if (until !== undefined) {
          blockedUntil = Math.max(blockedUntil, until);
          logger.warn(
            { repository: o.repository, until: new Date(until).toISOString(), status: e.status },
            'GitHub rate limit: waiting',
          );
          if (wait && attempt < 3) continue;
          throw rateLimited(blockedUntil);
        }
        throw describe(e, what);
      }
    }
  }

  /**
   * Commit statuses (the newest per context, as the combined status lists them) and check runs
   * of `ref`, summed up. No checks at all counts as success: nothing is required of it.
   */
  const checksOf = async (ref: string): Promise<ProposalChecks> => {
    const [combined, runs] = await Promise.all([
      call(
        `read the status of ${ref}`,
        (octokit) => octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref }),
        false,
      ),
      call(
        `read the check runs of ${ref}`,
        (octokit) => octokit.rest.checks.listForRef({ owner, repo, ref, per_page: 100 }),
        false,
      ).catch(() => undefined),
    ]);
    const statuses = combined.data.statuses ?? [];
    const checkRuns = runs?.data.check_runs ?? [];
    const runPassed = (c: { status: string; conclusion: string | null }) =>
      c.status === 'completed' && ['success', 'neutral', 'skipped'].includes(c.conclusion ?? '');
    const runFailed = (c: { status: string; conclusion: string | null }) => c.status === 'completed' && !runPassed(c);
    const total = statuses.length + checkRuns.length;
    const passed = statuses.filter((s) => s.state === 'success').length + checkRuns.filter(runPassed).length;
    const failed = statuses.some((s) => s.state === 'failure' || s.state === 'error') || checkRuns.some(runFailed);
    return { state: failed ? 'failure' : passed === total ? 'success' : 'pending', total, passed };
  };

  const openPullOf = async (head: string): Promise<PullJson | undefined> => {
    const res = await call(
      `list the pull requests of ${head}`,
      (octokit) => octokit.rest.pulls.list({ owner, repo, state: 'open', head: `${owner}:${head}`, per_page: 10 }),
      true,
    );
    return (res.data as unknown as PullJson[]).find((p) => p.head.ref === head);
  };

  return {
    kind: 'github',
    repository: o.repository,
    pollIntervalMs: o.pollIntervalMs,
    async open(r) {
      const existing = await openPullOf(r.head);
      let pull: PullJson;
      if (existing) {
        const res = await call(
          `update pull request #${existing.number}`,
          (octokit) =>
            octokit.rest.pulls.update({
              owner,
              repo,
              pull_number: existing.number,
              title: r.title,
              body: r.body,
              base: r.base,
            }),
          true,
        );
        pull = res.data as unknown as PullJson;
        logger.info({ repository: o.repository, number: pull.number, head: r.head }, 'pull request updated');
      } else {
        const res = await call(
          `open a pull request from ${r.head} into ${r.base}`,
          (octokit) =>
            octokit.rest.pulls.create({ owner, repo, head: r.head, base: r.base, title: r.title, body: r.body }),
          true,
        );
        pull = res.data as unknown as PullJson;
        logger.info({ repository: o.repository, number: pull.number, head: r.head }, 'pull request opened');
        if (r.reviewers.length > 0 || r.teamReviewers.length > 0) {
          await call(
            `request reviewers on #${pull.number}`,
            (octokit) =>
              octokit.rest.pulls.requestReviewers({
                owner,
                repo,
                pull_number: pull.number,
                reviewers: [...r.reviewers],
                team_reviewers: [...r.teamReviewers],
              }),
            true,
          );
        }
      }
      if (r.assignees && r.assignees.length > 0) {
        // adding is idempotent: an updated pull request keeps its assignees and gets the configured ones
        await call(
          `assign #${pull.number}`,
          (octokit) =>
            octokit.rest.issues.addAssignees({
              owner,
              repo,
              issue_number: pull.number,
              assignees: [...(r.assignees ?? [])],
            }),
          true,
        );
      }
      if (r.labels.length > 0) {
        await call(
          `label #${pull.number}`,
          (octokit) => octokit.rest.issues.addLabels({ owner, repo, issue_number: pull.number, labels: [...r.labels] }),
          true,
        );
      }
      if (r.autoMerge && pull.node_id && !pull.auto_merge) {
        // GitHub's own auto-merge: it merges once the base branch's required checks pass
        try {
          await (await octokitClient()).graphql(ENABLE_AUTO_MERGE, {
            pullRequestId: pull.node_id,
            // octokit reserves `method` (and `url`, `headers`) as option names
            mergeMethod: GRAPHQL_METHOD[r.autoMerge.method],
          });
          logger.info({ repository: o.repository, number: pull.number }, 'auto-merge enabled');
        } catch (e) {
          // not allowed in this repository, or already mergeable ("clean status"): Gantry merges it when checks pass
          logger.info(
            { repository: o.repository, number: pull.number, reason: e instanceof Error ? e.message : String(e) },
            'GitHub auto-merge unavailable: Gantry merges when the checks pass',
          );
        }
      }
      // the push just happened: GitHub may not have moved the head yet, but it will be this commit
      return { ...proposalOfPull(o.repository, pull), headSha: r.headSha };
    },
    async read(number, etag): Promise<ProposalRead> {
      try {
        const res = await call(
          `read pull request #${number}`,
          (octokit) =>
            octokit.rest.pulls.get({
              owner,
              repo,
              pull_number: number,
              ...(etag ? { headers: { 'if-none-match': etag } } : {}),
            }),
          false,
        );
        const tag = res.headers.etag;
        return {
          notModified: false,
          proposal: proposalOfPull(o.repository, res.data as unknown as PullJson),
          ...(tag ? { etag: tag } : {}),
        };
      } catch (e) {
        if (isFailure(e) && e.status === 304) return { notModified: true };
        throw e;
      }
    },
    async comment(number, body) {
      await call(
        `comment on #${number}`,
        (octokit) => octokit.rest.issues.createComment({ owner, repo, issue_number: number, body }),
        true,
      );
    },
    async openFor(head) {
      const pull = await openPullOf(head);
      return pull ? proposalOfPull(o.repository, pull) : undefined;
    },
    async mergeIfReady(number, method) {
      const pull = (
        await call(
          `read pull request #${number}`,
          (octokit) => octokit.rest.pulls.get({ owner, repo, pull_number: number }),
          false,
        )
      ).data as unknown as PullJson;
      // GitHub's auto-merge is on: it merges by itself
      if (pull.state !== 'open' || pull.auto_merge) return undefined;
      const ref = pull.head.sha;
      if ((await checksOf(ref)).state !== 'success') return undefined;
      try {
        await call(
          `merge #${number}`,
          (octokit) => octokit.rest.pulls.merge({ owner, repo, pull_number: number, merge_method: method, sha: ref }),
          false,
        );
      } catch (e) {
        // 405: a required check is missing or the branch is protected otherwise; the next round asks again
        if (e instanceof GantryError && e.context?.status === 405) return undefined;
        throw e;
      }
      const after = await call(
        `read pull request #${number}`,
        (octokit) => octokit.rest.pulls.get({ owner, repo, pull_number: number }),
        false,
      );
      logger.info({ repository: o.repository, number }, 'pull request merged by Gantry (checks passed)');
      return proposalOfPull(o.repository, after.data as unknown as PullJson);
    },
    async checks(_number, headSha) {
      // the head Gantry knows: no extra read of the pull request, which polling reads conditionally
      return checksOf(headSha);
    },
    async close(number, comment) {
      await call(
        `comment on #${number}`,
        (octokit) => octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: comment }),
        true,
      );
      const res = await call(
        `close #${number}`,
        (octokit) => octokit.rest.pulls.update({ owner, repo, pull_number: number, state: 'closed' }),
        true,
      );
      logger.info({ repository: o.repository, number }, 'pull request closed');
      return proposalOfPull(o.repository, res.data as unknown as PullJson);
    },
  };
}

/** The providers of the configured repositories that have one, by repository name. */
export function proposalProviders(byRepository: Readonly<Record<string, ProposalProvider>>): ProposalProviders {
  const all = new Map(Object.entries(byRepository));
  return { all, forRepository: (name) => all.get(name) };
}
