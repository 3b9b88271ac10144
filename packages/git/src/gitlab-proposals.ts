import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger, ProposalChecks, ProposalProvider, ProposalRead, ProposalRecord } from '@gantry/core';
import { GantryError, silentLogger } from '@gantry/core';

export const DEFAULT_GITLAB_API_URL = 'https://gitlab.com/api/v4';
/** Waits up to this long for a rate limit to pass before a promotion's request gives up. */
const MAX_WAIT_MS = 60_000;

export interface GitLabProposalsOptions {
  /** The project's full path on GitLab (`group/subgroup/name`). */
  readonly repository: string;
  /** A personal, project or group access token with the `api` scope (or an OAuth token with `tokenType: oauth`). */
  readonly token: string;
  /** `private` (default): sent as `PRIVATE-TOKEN`; `oauth`: as `Authorization: Bearer`. */
  readonly tokenType?: 'private' | 'oauth';
  /** `https://gitlab.com/api/v4` (default), or `https://<host>/api/v4` for a self-managed GitLab. */
  readonly apiUrl?: string;
  /** How often open merge requests are read (ms); 0: never. */
  readonly pollIntervalMs: number;
  readonly logger?: Logger;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/** The parts of GitLab's merge request (`GET /projects/:id/merge_requests/:iid`) Gantry reads. */
export interface MergeRequestJson {
  readonly iid: number;
  readonly web_url: string;
  /** opened | closed | locked | merged */
  readonly state: string;
  readonly source_branch: string;
  readonly target_branch: string;
  readonly sha: string | null;
  readonly merge_commit_sha?: string | null;
  readonly squash_commit_sha?: string | null;
  /** The newest pipeline of the head commit. */
  readonly head_pipeline?: { readonly status: string } | null;
}

/**
 * The head pipeline as checks: one check, passed when the pipeline succeeded (or was skipped),
 * failed when it failed or was canceled, pending otherwise; no pipeline: nothing to wait for.
 */
export function checksOfMergeRequest(mr: MergeRequestJson): ProposalChecks {
  const status = mr.head_pipeline?.status;
  if (status === undefined) return { state: 'success', total: 0, passed: 0 };
  if (status === 'success' || status === 'skipped') return { state: 'success', total: 1, passed: 1 };
  if (status === 'failed' || status === 'canceled') return { state: 'failure', total: 1, passed: 0 };
  return { state: 'pending', total: 1, passed: 0 };
}

/** GitLab's merge request as Gantry records it. */
export function proposalOfMergeRequest(repository: string, mr: MergeRequestJson): ProposalRecord {
  const merged = mr.state === 'merged';
  // a fast-forward merge has no merge commit: the base then points at the head itself
  const mergedCommit = mr.merge_commit_sha ?? mr.squash_commit_sha ?? mr.sha ?? undefined;
  return {
    provider: 'gitlab',
    repository,
    number: mr.iid,
    url: mr.web_url,
    state: merged ? 'merged' : mr.state === 'opened' || mr.state === 'locked' ? 'open' : 'closed',
    headBranch: mr.source_branch,
    headSha: mr.sha ?? '',
    baseBranch: mr.target_branch,
    ...(merged && mergedCommit ? { mergedCommit } : {}),
  };
}

/** A failed call, with what GitLab said. */
class GitLabHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly data: unknown,
  ) {
    super(`GitLab answered ${status}`);
  }
}

/** GitLab's error bodies: `{message: "..."}`, `{message: {field: [..]}}`, `{error, error_description, scope}`. */
function said(data: unknown): string {
  if (!data || typeof data !== 'object') return '';
  const d = data as { message?: unknown; error?: unknown; error_description?: unknown };
  if (typeof d.message === 'string') return d.message;
  if (Array.isArray(d.message)) return d.message.join('; ');
  if (d.message && typeof d.message === 'object')
    return Object.entries(d.message)
      .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : String(v)}`)
      .join('; ');
  return [d.error, d.error_description].filter((x) => typeof x === 'string').join(': ');
}

/**
 * Merge requests on GitLab (gitlab.com or self-managed) through its REST API v4 with plain
 * `fetch`: a handful of endpoints, conditional reads with `If-None-Match`, and `Retry-After`
 * need the raw response, which a thin client keeps in view. One open merge request per
 * proposal branch; rate limits (429, `Retry-After` or `RateLimit-Reset`) are waited out and
 * every later call for the project waits too. The token travels only in its header.
 */
export function gitlabProposals(o: GitLabProposalsOptions): ProposalProvider {
  const logger = o.logger ?? silentLogger;
  const now = o.now ?? Date.now;
  const doFetch = o.fetch ?? fetch;
  const root = (o.apiUrl ?? DEFAULT_GITLAB_API_URL).replace(/\/+$/, '');
  /** The project's endpoints: its path URL-encoded as the id. */
  const P = `/projects/${encodeURIComponent(o.repository)}`;
  const auth: Record<string, string> =
    o.tokenType === 'oauth' ? { authorization: `Bearer ${o.token}` } : { 'private-token': o.token };
  let blockedUntil = 0;
  const userIds = new Map<string, number>();

  const describe = (e: GitLabHttpError, what: string): GantryError => {
    const message = said(e.data);
    const context = { repository: o.repository, status: e.status, action: what };
    const scope = (e.data as { scope?: unknown } | undefined)?.scope;
    if (e.status === 401)
      return new GantryError(
        'proposal_unauthorized',
        `GitLab refused the token of ${o.repository} (401 ${message || 'Unauthorized'}) while trying to ${what}: it is expired, revoked or wrong`,
        context,
      );
    if (e.status === 403)
      return new GantryError(
        'proposal_unauthorized',
        `GitLab answered 403 (${message || 'Forbidden'}) to ${what} in ${o.repository}: ${typeof scope === 'string' ? `the token needs the scope ${scope}` : 'the token lacks a scope (api) or the role (Developer) to do this'}`,
        { ...context, ...(typeof scope === 'string' ? { permission: scope } : {}) },
      );
    return new GantryError(
      'proposal_failed',
      `GitLab answered ${e.status} (${message || 'error'}) to ${what} in ${o.repository}${e.status === 404 ? ': the project does not exist or the token cannot see it' : ''}`,
      context,
    );
  };

  /** When a 429 (or a 403 that says so) lets us ask again; undefined for other failures. */
  const limitedUntil = (e: GitLabHttpError): number | undefined => {
    if (e.status !== 429 && !(e.status === 403 && e.headers.get('retry-after'))) return undefined;
    const retryAfter = Number(e.headers.get('retry-after'));
    if (e.headers.get('retry-after') !== null && Number.isFinite(retryAfter)) return now() + retryAfter * 1000;
    const reset = Number(e.headers.get('ratelimit-reset'));
    return e.headers.get('ratelimit-reset') !== null && Number.isFinite(reset) ? reset * 1000 : now() + 60_000;
  };

  const rateLimited = (until: number) =>
    new GantryError(
      'proposal_rate_limited',
      `GitLab rate-limits requests for ${o.repository} until ${new Date(until).toISOString()}`,
      { repository: o.repository, until: new Date(until).toISOString(), retryable: true },
    );

  interface Answer<T> {
    readonly status: number;
    readonly data: T;
    readonly headers: Headers;
  }

  async function once<T>(method: string, path: string, body?: unknown, etag?: string): Promise<Answer<T>> {
    const res = await doFetch(`${root}${path}`, {
      method,
      headers: {
        ...auth,
        accept: 'application/json',
        'user-agent': 'Gantry-Proposals/1',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(etag ? { 'if-none-match': etag } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let data: unknown;
    try {
      data = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      data = { message: text.slice(0, 200) };
    }
    if (res.status === 304) return { status: 304, data: undefined as T, headers: res.headers };
    if (!res.ok) throw new GitLabHttpError(res.status, res.headers, data);
    return { status: res.status, data: data as T, headers: res.headers };
  }

  /** One API call, waiting out a rate limit when `wait` (a promotion) and it is short; else failing at once. */
  async function call<T>(
    what: string,
    method: string,
    path: string,
    o2: { body?: unknown; etag?: string; wait?: boolean } = {},
  ): Promise<Answer<T>> {
    const wait = o2.wait ?? true;
    for (let attempt = 1; ; attempt++) {
      const left = blockedUntil - now();
      if (left > 0) {
        if (!wait || left > MAX_WAIT_MS) throw rateLimited(blockedUntil);
        await sleep(left);
      }
      try {
        return await once<T>(method, path, o2.body, o2.etag);
      } catch (e) {
        if (!(e instanceof GitLabHttpError)) throw e;
        const until = limitedUntil(e);
        if (until !== undefined) {
          blockedUntil = Math.max(blockedUntil, until);
          logger.warn(
            { repository: o.repository, until: new Date(until).toISOString(), status: e.status },
            'GitLab rate limit: waiting',
          );
          if (wait && attempt < 3) continue;
          throw rateLimited(blockedUntil);
        }
        throw describe(e, what);
      }
    }
  }

  /** Usernames -> user ids (reviewers and assignees are ids on GitLab); unknown names are skipped with a warning. */
  async function idsOf(usernames: readonly string[]): Promise<number[]> {
    const out: number[] = [];
    for (const name of usernames) {
      let id = userIds.get(name);
      if (id === undefined) {
        const users = await call<Array<{ id: number; username: string }>>(
          `look up the user ${name}`,
          'GET',
          `/users?username=${encodeURIComponent(name)}`,
        );
        id = users.data.find((u) => u.username.toLowerCase() === name.toLowerCase())?.id;
        if (id === undefined) {
          logger.warn(
            { repository: o.repository, user: name },
            'GitLab has no such user: not asked to review or assigned',
          );
          continue;
        }
        userIds.set(name, id);
      }
      out.push(id);
    }
    return out;
  }

  const openMergeRequestOf = async (head: string): Promise<MergeRequestJson | undefined> => {
    const res = await call<MergeRequestJson[]>(
      `list the merge requests of ${head}`,
      'GET',
      `${P}/merge_requests?state=opened&source_branch=${encodeURIComponent(head)}&per_page=10`,
    );
    return res.data.find((m) => m.source_branch === head);
  };

  return {
    kind: 'gitlab',
    repository: o.repository,
    pollIntervalMs: o.pollIntervalMs,
    async open(r) {
      const existing = await openMergeRequestOf(r.head);
      let mr: MergeRequestJson;
      if (existing) {
        const res = await call<MergeRequestJson>(
          `update merge request !${existing.iid}`,
          'PUT',
          `${P}/merge_requests/${existing.iid}`,
          {
            body: {
              title: r.title,
              description: r.body,
              target_branch: r.base,
              ...(r.labels.length > 0 ? { add_labels: r.labels.join(',') } : {}),
            },
          },
        );
        mr = res.data;
        logger.info({ repository: o.repository, number: mr.iid, head: r.head }, 'merge request updated');
      } else {
        const reviewers = await idsOf(r.reviewers);
        const assignees = await idsOf(r.assignees ?? []);
        const res = await call<MergeRequestJson>(
          `open a merge request from ${r.head} into ${r.base}`,
          'POST',
          `${P}/merge_requests`,
          {
            body: {
              source_branch: r.head,
              target_branch: r.base,
              title: r.title,
              description: r.body,
              ...(r.labels.length > 0 ? { labels: r.labels.join(',') } : {}),
              ...(reviewers.length > 0 ? { reviewer_ids: reviewers } : {}),
              ...(assignees.length > 0 ? { assignee_ids: assignees } : {}),
            },
          },
        );
        mr = res.data;
        logger.info({ repository: o.repository, number: mr.iid, head: r.head }, 'merge request opened');
      }
      if (r.autoMerge) {
        // GitLab's own auto-merge; the merge method (merge commit, rebase, fast-forward) is the project's setting
        try {
          const res = await call<MergeRequestJson>(
            `set !${mr.iid} to merge when the pipeline succeeds`,
            'PUT',
            `${P}/merge_requests/${mr.iid}/merge`,
            {
              body: {
                merge_when_pipeline_succeeds: true,
                squash: r.autoMerge.method === 'squash',
                sha: r.headSha,
              },
            },
          );
          mr = res.data;
        } catch (e) {
          // e.g. 405 before GitLab has created the pipeline: the merge request stays open for people
          logger.warn(
            { repository: o.repository, number: mr.iid, err: e instanceof Error ? e.message : String(e) },
            'auto-merge could not be set',
          );
        }
      }
      return { ...proposalOfMergeRequest(o.repository, mr), headSha: r.headSha };
    },
    async read(number, etag): Promise<ProposalRead> {
      const res = await call<MergeRequestJson>(
        `read merge request !${number}`,
        'GET',
        `${P}/merge_requests/${number}`,
        {
          ...(etag ? { etag } : {}),
          wait: false,
        },
      );
      if (res.status === 304) return { notModified: true };
      const tag = res.headers.get('etag');
      return {
        notModified: false,
        proposal: proposalOfMergeRequest(o.repository, res.data),
        ...(tag ? { etag: tag } : {}),
      };
    },
    async comment(number, body) {
      await call(`comment on !${number}`, 'POST', `${P}/merge_requests/${number}/notes`, { body: { body } });
    },
    async checks(number) {
      const res = await call<MergeRequestJson>(
        `read merge request !${number}`,
        'GET',
        `${P}/merge_requests/${number}`,
        {
          wait: false,
        },
      );
      return checksOfMergeRequest(res.data);
    },
    async close(number, comment) {
      await call(`comment on !${number}`, 'POST', `${P}/merge_requests/${number}/notes`, { body: { body: comment } });
      const res = await call<MergeRequestJson>(`close !${number}`, 'PUT', `${P}/merge_requests/${number}`, {
        body: { state_event: 'close' },
      });
      logger.info({ repository: o.repository, number }, 'merge request closed');
      return proposalOfMergeRequest(o.repository, res.data);
    },
    async openFor(head) {
      const mr = await openMergeRequestOf(head);
      return mr ? proposalOfMergeRequest(o.repository, mr) : undefined;
    },
  };
}
