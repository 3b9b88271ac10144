import { createHash } from 'node:crypto';
import { runGit } from '../git-fixtures.js';
import type { FakeRequest, FakeResponse, FakeUser, Route } from './http.js';
import { DOCS, githubError, notSupplied, objectBody, paginate, validationFailed } from './http.js';
import type { FakeComment, FakePull, FakeRepository, FakeState } from './state.js';
import { nodeId, repositoryJson, resolveCommit, userJson } from './state.js';
import type { RepoLookup } from './statuses.js';
import { latestPerContext } from './statuses.js';
import { checkRunPassed, latestCheckRuns } from './checks.js';

/**
 * Pull requests (REST API "Pulls"), their comments and labels ("Issues": a pull request is an
 * issue), and review requests, over the repository's real Git: the head SHA is the branch's tip
 * now, and merging writes a real merge commit onto the base branch (`git merge-tree`), or
 * refuses with 405 when the branches conflict.
 */

const PULLS = `${DOCS}/pulls/pulls`;
const CREATE_DOCS = `${PULLS}#create-a-pull-request`;
const GET_DOCS = `${PULLS}#get-a-pull-request`;
const UPDATE_DOCS = `${PULLS}#update-a-pull-request`;
const LIST_DOCS = `${PULLS}#list-pull-requests`;
const MERGE_DOCS = `${PULLS}#merge-a-pull-request`;
const COMMENT_DOCS = `${DOCS}/issues/comments#create-an-issue-comment`;
const LABEL_DOCS = `${DOCS}/issues/labels#add-labels-to-an-issue`;
const ASSIGNEES_DOCS = `${DOCS}/issues/assignees#add-assignees-to-an-issue`;
const REVIEWERS_DOCS = `${DOCS}/pulls/review-requests#request-reviewers-for-a-pull-request`;

/** Called after a pull request changed, with the `pull_request` event's action. */
export type PullEventSink = (repo: FakeRepository, pull: FakePull, action: string, sender: FakeUser) => Promise<void>;

/** The branch tip now, or what it was when the pull request closed (its branch may be gone). */
async function headSha(repo: FakeRepository, pull: FakePull): Promise<string> {
  if (pull.state === 'closed' && pull.closedHeadSha) return pull.closedHeadSha;
  return (await resolveCommit(repo, `refs/heads/${pull.head}`)) ?? pull.closedHeadSha ?? '0'.repeat(40);
}

/** GitHub's `pull-request` shape (the fields clients read, with their documented names). */
export async function pullJson(
  state: FakeState,
  repo: FakeRepository,
  pull: FakePull,
): Promise<Record<string, unknown>> {
  const url = `${state.apiUrl}/repos/${repo.fullName}/pulls/${pull.number}`;
  const html = `${state.webUrl}/${repo.fullName}/pull/${pull.number}`;
  const issue = `${state.apiUrl}/repos/${repo.fullName}/issues/${pull.number}`;
  const repoJson = repositoryJson(state, repo);
  const ref = async (name: string, sha: string | undefined) => ({
    label: `${repo.owner.login}:${name}`,
    ref: name,
    sha: sha ?? '0'.repeat(40),
    user: userJson(state, repo.owner),
    repo: repoJson,
  });
  const head = await headSha(repo, pull);
  return {
    url,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    comments_url: `${issue}/comments`,
    statuses_url: `${state.apiUrl}/repos/${repo.fullName}/statuses/${head}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson(state, pull.user),
    body: pull.body,
    labels: pull.labels.map((l) => ({
      id: l.id,
      node_id: nodeId('Label', l.id),
      url: `${state.apiUrl}/repos/${repo.fullName}/labels/${encodeURIComponent(l.name)}`,
      name: l.name,
      description: null,
      color: 'ededed',
      default: false,
    })),
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: pull.assignees?.[0] ? userJson(state, pull.assignees[0]) : null,
    assignees: (pull.assignees ?? []).map((u) => userJson(state, u)),
    requested_reviewers: pull.reviewers.map((u) => userJson(state, u)),
    requested_teams: pull.teams.map((t, i) => ({ id: i + 1, slug: t, name: t })),
    head: await ref(pull.head, head),
    base: await ref(pull.base, await resolveCommit(repo, `refs/heads/${pull.base}`)),
    _links: { self: { href: url }, html: { href: html }, issue: { href: issue } },
    author_association: 'OWNER',
    auto_merge: pull.autoMerge
      ? {
          enabled_by: userJson(state, pull.autoMerge.by),
          merge_method: pull.autoMerge.method.toLowerCase(),
          commit_title: null,
          commit_message: null,
        }
      : null,
    draft: false,
    merged: pull.mergedAt !== null,
    mergeable: pull.state === 'open' ? true : null,
    mergeable_state: pull.state === 'open' ? 'clean' : 'unknown',
    merged_by: pull.mergedBy ? userJson(state, pull.mergedBy) : null,
    comments: pull.comments.length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}

function commentJson(state: FakeState, repo: FakeRepository, pull: FakePull, c: FakeComment): Record<string, unknown> {
  return {
    id: c.id,
    node_id: nodeId('IssueComment', c.id),
    url: `${state.apiUrl}/repos/${repo.fullName}/issues/comments/${c.id}`,
    html_url: `${state.webUrl}/${repo.fullName}/pull/${pull.number}#issuecomment-${c.id}`,
    issue_url: `${state.apiUrl}/repos/${repo.fullName}/issues/${pull.number}`,
    body: c.body,
    user: userJson(state, c.user),
    created_at: c.createdAt,
    updated_at: c.createdAt,
    author_association: 'OWNER',
  };
}

/** A strong ETag of a JSON answer, as GitHub sends for conditional requests. */
const etagOf = (body: unknown) => `"${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 40)}"`;

/** How a pull request lands on its base (`merge_method` of the REST merge). */
export type FakeMergeMethod = 'merge' | 'squash' | 'rebase';
export const MERGE_METHODS: readonly FakeMergeMethod[] = ['merge', 'squash', 'rebase'];

type Landed = { ok: true; sha: string } | { ok: false; status: number; message: string };
const NOT_MERGEABLE = { ok: false, status: 405, message: 'Pull Request is not mergeable' } as const;

/**
 * Merges `pull` for real, as `method` says: `merge` writes a merge commit (base tip and head as
 * parents) of the tree `git merge-tree --write-tree` computes; `squash` writes that same tree as
 * one commit on the base tip; `rebase` replays the head's commits onto the base (cherry-picks in
 * a temporary worktree, authors kept, GitHub as committer). The base ref moves only if nobody
 * moved it meanwhile; a conflict is GitHub's 405. `merge_commit_sha` is the merge commit, the
 * squashed commit, or the last rebased commit, as on GitHub.
 */
export async function mergePull(
  state: FakeState,
  repo: FakeRepository,
  pull: FakePull,
  by: FakeUser,
  o: { title?: string; message?: string; sha?: string; method?: FakeMergeMethod } = {},
): Promise<Landed> {
  if (pull.state !== 'open') return NOT_MERGEABLE;
  const head = await resolveCommit(repo, `refs/heads/${pull.head}`);
  const base = await resolveCommit(repo, `refs/heads/${pull.base}`);
  if (!head || !base) return NOT_MERGEABLE;
  if (o.sha !== undefined && o.sha !== head)
    return { ok: false, status: 409, message: 'Head branch was modified. Review and try the merge again.' };
  const missing = missingChecks(repo, pull.base, head);
  if (missing) return { ok: false, status: 405, message: `Required status check "${missing}" is expected.` };
  const when = `${Math.floor(Date.parse(state.now()) / 1000)} +0000`;
  const committer = {
    GIT_COMMITTER_NAME: 'GitHub',
    GIT_COMMITTER_EMAIL: 'noreply@github.test',
    GIT_COMMITTER_DATE: when,
  };
  const env = {
    GIT_AUTHOR_NAME: by.login,
    GIT_AUTHOR_EMAIL: `${by.id}+${by.login}@users.noreply.github.test`,
    GIT_AUTHOR_DATE: when,
    ...committer,
  };
  const method = o.method ?? 'merge';
  let sha: string;
  if (method === 'rebase') {
    const rebased = await rebaseOnto(repo, base, head, committer);
    if (!rebased) return NOT_MERGEABLE;
    sha = rebased;
  } else {
    let tree: string;
    try {
      tree = (await runGit(['merge-tree', '--write-tree', base, head], repo.dir)).split('\n')[0]?.trim() ?? '';
    } catch {
      return NOT_MERGEABLE;
    }
    let message: string;
    let parents: string[];
    if (method === 'squash') {
      // GitHub's defaults: the pull request's title with its number, the squashed commits' subjects listed
      const subjects = (await runGit(['log', '--reverse', '--format=%s', `${base}..${head}`], repo.dir))
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => `* ${l}`)
        .join('\n');
      message = `${o.title ?? `${pull.title} (#${pull.number})`}\n\n${o.message ?? subjects}\n`;
      parents = ['-p', base];
    } else {
      const title = o.title ?? `Merge pull request #${pull.number} from ${repo.owner.login}/${pull.head}`;
      message = `${title}\n\n${o.message ?? pull.title}\n`;
      parents = ['-p', base, '-p', head];
    }
    sha = (await runGitEnv(['commit-tree', tree, ...parents], repo.dir, message, env)).trim();
  }
  try {
    await runGit(['update-ref', `refs/heads/${pull.base}`, sha, base], repo.dir);
  } catch {
    // someone moved the base meanwhile: as GitHub, ask for a new attempt
    return { ok: false, status: 409, message: 'Base branch was modified. Review and try the merge again.' };
  }
  const at = state.now();
  Object.assign(pull, {
    state: 'closed',
    mergedAt: at,
    closedAt: at,
    updatedAt: at,
    mergeCommitSha: sha,
    mergedBy: by,
    closedHeadSha: head,
    autoMerge: null,
  } satisfies Partial<FakePull>);
  return { ok: true, sha };
}

/**
 * The head's non-merge commits (`base..head`) cherry-picked onto `base` in a temporary detached
 * worktree of the bare repository; the new tip, or undefined on a conflict. Authors are kept.
 */
async function rebaseOnto(
  repo: FakeRepository,
  base: string,
  head: string,
  committer: Record<string, string>,
): Promise<string | undefined> {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const commits = (await runGit(['rev-list', '--reverse', '--no-merges', `${base}..${head}`], repo.dir))
    .split('\n')
    .filter((l) => l.length > 0);
  if (commits.length === 0) return base;
  const parent = await mkdtemp(join(tmpdir(), 'github-fake-rebase-'));
  const dir = join(parent, 'wt');
  try {
    await runGit(['worktree', 'add', '--detach', '--quiet', dir, base], repo.dir);
    try {
      await runGitEnv(['cherry-pick', '--allow-empty', '--keep-redundant-commits', ...commits], dir, '', committer);
    } catch {
      return undefined;
    }
    return (await runGit(['rev-parse', 'HEAD'], dir)).trim();
  } finally {
    await runGit(['worktree', 'remove', '--force', dir], repo.dir).catch(() => undefined);
    await runGit(['worktree', 'prune'], repo.dir).catch(() => undefined);
    await rm(parent, { recursive: true, force: true });
  }
}

/**
 * The first required check of `base` that has not passed on `sha`, or undefined. As branch
 * protection does, a required check is met by a `success` commit status of that context or
 * by a passing check run of that name (the newest of either).
 */
export function missingChecks(repo: FakeRepository, base: string, sha: string): string | undefined {
  const latest = latestPerContext(repo.statuses, sha);
  const runs = latestCheckRuns(repo.checkRuns, sha);
  return (repo.requiredChecks.get(base) ?? []).find((c) => {
    const status = latest.find((s) => s.context.toLowerCase() === c.toLowerCase());
    const run = runs.find((r) => r.name === c);
    return status?.state !== 'success' && !(run && checkRunPassed(run));
  });
}

async function runGitEnv(args: string[], cwd: string, input: string, env: Record<string, string>): Promise<string> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      err ? reject(new Error(`git ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function pullRoutes(state: FakeState, lookup: RepoLookup, events: PullEventSink): Route[] {
  const pullOf = (repo: FakeRepository, req: FakeRequest, docs: string): FakePull | FakeResponse =>
    repo.pulls.find((p) => p.number === Number(req.params.number)) ?? githubError(404, 'Not Found', docs);
  const withPull =
    (docs: string, fn: (repo: FakeRepository, pull: FakePull, req: FakeRequest) => Promise<FakeResponse>) =>
    async (req: FakeRequest): Promise<FakeResponse> => {
      const repo = lookup(req, docs);
      if ('status' in repo) return repo;
      const pull = pullOf(repo, req, docs);
      if ('status' in pull) return pull;
      return fn(repo, pull, req);
    };
  const touch = (pull: FakePull) => {
    pull.updatedAt = state.now();
  };

  return [
    {
      method: 'GET',
      pattern: '/repos/{owner}/{repo}/pulls',
      docs: LIST_DOCS,
      async handle(req) {
        const repo = lookup(req, LIST_DOCS);
        if ('status' in repo) return repo;
        const wanted = req.query.get('state') ?? 'open';
        const head = req.query.get('head');
        const base = req.query.get('base');
        const matches = repo.pulls
          .filter((p) => wanted === 'all' || p.state === wanted)
          .filter((p) => !head || `${repo.owner.login}:${p.head}`.toLowerCase() === head.toLowerCase())
          .filter((p) => !base || p.base === base)
          .sort((a, b) => b.number - a.number);
        const { page, headers } = paginate(matches, req, `${state.apiUrl}/repos/${repo.fullName}/pulls`);
        return { status: 200, body: await Promise.all(page.map((p) => pullJson(state, repo, p))), headers };
      },
    },
    {
      method: 'POST',
      pattern: '/repos/{owner}/{repo}/pulls',
      docs: CREATE_DOCS,
      async handle(req) {
        const repo = lookup(req, CREATE_DOCS);
        if ('status' in repo) return repo;
        const parsed = objectBody(req, CREATE_DOCS);
        if ('error' in parsed) return parsed.error;
        const { title, head, base, body } = parsed.body;
        if (typeof head !== 'string') return notSupplied('head', CREATE_DOCS);
        if (typeof base !== 'string') return notSupplied('base', CREATE_DOCS);
        if (typeof title !== 'string') return notSupplied('title', CREATE_DOCS);
        const headRef = head.includes(':') ? head.slice(head.indexOf(':') + 1) : head;
        const headTip = await resolveCommit(repo, `refs/heads/${headRef}`);
        const baseTip = await resolveCommit(repo, `refs/heads/${base}`);
        if (!headTip)
          return validationFailed(CREATE_DOCS, [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
        if (!baseTip)
          return validationFailed(CREATE_DOCS, [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
        if (repo.pulls.some((p) => p.state === 'open' && p.head === headRef && p.base === base))
          return validationFailed(CREATE_DOCS, [
            {
              resource: 'PullRequest',
              field: 'head',
              code: 'custom',
              message: `A pull request already exists for ${repo.owner.login}:${headRef}.`,
            },
          ]);
        const ahead = (await runGit(['rev-list', '--count', `${baseTip}..${headTip}`], repo.dir)).trim();
        if (ahead === '0')
          return validationFailed(CREATE_DOCS, [
            {
              resource: 'PullRequest',
              field: 'head',
              code: 'custom',
              message: `No commits between ${base} and ${headRef}`,
            },
          ]);
        const at = state.now();
        const pull: FakePull = {
          id: state.nextId(),
          number: repo.nextNumber++,
          title,
          body: typeof body === 'string' ? body : null,
          state: 'open',
          head: headRef,
          base,
          user: req.user,
          labels: [],
          reviewers: [],
          assignees: [],
          teams: [],
          comments: [],
          createdAt: at,
          updatedAt: at,
          closedAt: null,
          mergedAt: null,
          mergeCommitSha: null,
        };
        repo.pulls.push(pull);
        await events(repo, pull, 'opened', req.user);
        return {
          status: 201,
          body: await pullJson(state, repo, pull),
          headers: { location: `${state.apiUrl}/repos/${repo.fullName}/pulls/${pull.number}` },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/repos/{owner}/{repo}/pulls/{number}',
      docs: GET_DOCS,
      handle: withPull(GET_DOCS, async (repo, pull, req) => {
        const body = await pullJson(state, repo, pull);
        const etag = etagOf(body);
        // a conditional request whose answer has not changed: 304, which GitHub does not count against the rate limit
        if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
        return { status: 200, body, headers: { etag } };
      }),
    },
    {
      method: 'PATCH',
      pattern: '/repos/{owner}/{repo}/pulls/{number}',
      docs: UPDATE_DOCS,
      handle: withPull(UPDATE_DOCS, async (repo, pull, req) => {
        const parsed = objectBody(req, UPDATE_DOCS);
        if ('error' in parsed) return parsed.error;
        const b = parsed.body;
        if (b.state !== undefined && b.state !== 'open' && b.state !== 'closed')
          return validationFailed(UPDATE_DOCS, [{ resource: 'PullRequest', field: 'state', code: 'invalid' }]);
        if (typeof b.title === 'string') pull.title = b.title;
        if (typeof b.body === 'string') pull.body = b.body;
        if (typeof b.base === 'string') pull.base = b.base;
        let action = 'edited';
        if (b.state === 'closed' && pull.state === 'open') {
          Object.assign(pull, {
            state: 'closed',
            closedAt: state.now(),
            closedHeadSha: await resolveCommit(repo, `refs/heads/${pull.head}`),
          });
          action = 'closed';
        }
        touch(pull);
        await events(repo, pull, action, req.user);
        return { status: 200, body: await pullJson(state, repo, pull) };
      }),
    },
    {
      method: 'PUT',
      pattern: '/repos/{owner}/{repo}/pulls/{number}/merge',
      docs: MERGE_DOCS,
      handle: withPull(MERGE_DOCS, async (repo, pull, req) => {
        const b = (req.body ?? {}) as Record<string, unknown>;
        if (b.merge_method !== undefined && !(MERGE_METHODS as readonly unknown[]).includes(b.merge_method))
          return validationFailed(MERGE_DOCS, [{ resource: 'PullRequest', field: 'merge_method', code: 'invalid' }]);
        const merged = await mergePull(state, repo, pull, req.user, {
          ...(typeof b.merge_method === 'string' ? { method: b.merge_method as FakeMergeMethod } : {}),
          ...(typeof b.commit_title === 'string' ? { title: b.commit_title } : {}),
          ...(typeof b.commit_message === 'string' ? { message: b.commit_message } : {}),
          ...(typeof b.sha === 'string' ? { sha: b.sha } : {}),
        });
        if (!merged.ok) return githubError(merged.status, merged.message, MERGE_DOCS);
        await events(repo, pull, 'closed', req.user);
        return { status: 200, body: { sha: merged.sha, merged: true, message: 'Pull Request successfully merged' } };
      }),
    },
    {
      method: 'GET',
      pattern: '/repos/{owner}/{repo}/issues/{number}/comments',
      docs: COMMENT_DOCS,
      handle: withPull(COMMENT_DOCS, async (repo, pull) => ({
        status: 200,
        body: pull.comments.map((c) => commentJson(state, repo, pull, c)),
      })),
    },
    {
      method: 'POST',
      pattern: '/repos/{owner}/{repo}/issues/{number}/comments',
      docs: COMMENT_DOCS,
      handle: withPull(COMMENT_DOCS, async (repo, pull, req) => {
        const parsed = objectBody(req, COMMENT_DOCS);
        if ('error' in parsed) return parsed.error;
        if (typeof parsed.body.body !== 'string') return notSupplied('body', COMMENT_DOCS);
        const c: FakeComment = { id: state.nextId(), body: parsed.body.body, user: req.user, createdAt: state.now() };
        pull.comments.push(c);
        return { status: 201, body: commentJson(state, repo, pull, c) };
      }),
    },
    {
      method: 'POST',
      pattern: '/repos/{owner}/{repo}/issues/{number}/labels',
      docs: LABEL_DOCS,
      handle: withPull(LABEL_DOCS, async (repo, pull, req) => {
        const parsed = objectBody(req, LABEL_DOCS);
        if ('error' in parsed) return parsed.error;
        const labels = parsed.body.labels;
        if (!strings(labels))
          return validationFailed(LABEL_DOCS, [{ resource: 'Label', field: 'labels', code: 'invalid' }]);
        for (const name of labels)
          if (!pull.labels.some((l) => l.name === name)) pull.labels.push({ id: state.nextId(), name });
        touch(pull);
        return { status: 200, body: (await pullJson(state, repo, pull)).labels };
      }),
    },
    {
      method: 'POST',
      pattern: '/repos/{owner}/{repo}/issues/{number}/assignees',
      docs: ASSIGNEES_DOCS,
      handle: withPull(ASSIGNEES_DOCS, async (repo, pull, req) => {
        const b = (req.body ?? {}) as Record<string, unknown>;
        const assignees = b.assignees ?? [];
        if (!strings(assignees))
          return validationFailed(ASSIGNEES_DOCS, [{ resource: 'Issue', field: 'assignees', code: 'invalid' }]);
        // GitHub assigns at most ten and silently drops users who cannot be assigned
        pull.assignees ??= [];
        for (const a of assignees)
          if (pull.assignees.length < 10 && !pull.assignees.some((u) => u.login === a))
            pull.assignees.push(state.user(a));
        touch(pull);
        return { status: 201, body: await pullJson(state, repo, pull) };
      }),
    },
    {
      method: 'POST',
      pattern: '/repos/{owner}/{repo}/pulls/{number}/requested_reviewers',
      docs: REVIEWERS_DOCS,
      handle: withPull(REVIEWERS_DOCS, async (repo, pull, req) => {
        const b = (req.body ?? {}) as Record<string, unknown>;
        const reviewers = b.reviewers ?? [];
        const teams = b.team_reviewers ?? [];
        if (!strings(reviewers) || !strings(teams))
          return validationFailed(REVIEWERS_DOCS, [{ resource: 'PullRequest', field: 'reviewers', code: 'invalid' }]);
        // GitHub refuses a review request of the pull request's own author
        if (reviewers.includes(pull.user.login))
          return validationFailed(REVIEWERS_DOCS, [
            {
              resource: 'PullRequest',
              field: 'reviewers',
              code: 'custom',
              message: 'Review cannot be requested from pull request author.',
            },
          ]);
        for (const r of reviewers) if (!pull.reviewers.some((u) => u.login === r)) pull.reviewers.push(state.user(r));
        for (const t of teams) if (!pull.teams.includes(t)) pull.teams.push(t);
        touch(pull);
        return { status: 201, body: await pullJson(state, repo, pull) };
      }),
    },
  ];
}
