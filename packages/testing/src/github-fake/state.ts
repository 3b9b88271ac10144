import { runGit } from '../git-fixtures.js';
import type { FakeUser } from './http.js';

/**
 * What the GitHub fake holds: repositories (each a real bare repository on disk, so commits,
 * refs and later merges are Git's answers, not a table), users by token, and the records the
 * REST endpoints create. One object, so endpoint modules added later share ids and clocks.
 */

export interface FakeCommitStatus {
  readonly id: number;
  readonly sha: string;
  readonly state: 'error' | 'failure' | 'pending' | 'success';
  readonly targetUrl: string | null;
  readonly description: string | null;
  readonly context: string;
  readonly creator: FakeUser;
  readonly createdAt: string;
}

/** A check run (REST API "Check runs"); a re-run is a new check run with the same name. */
export interface FakeCheckRun {
  readonly id: number;
  readonly headSha: string;
  readonly name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion:
    | 'action_required'
    | 'cancelled'
    | 'failure'
    | 'neutral'
    | 'success'
    | 'skipped'
    | 'stale'
    | 'timed_out'
    | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  readonly startedAt: string;
  completedAt: string | null;
  readonly creator: FakeUser;
}

export interface FakeDeploymentStatus {
  readonly id: number;
  readonly state: 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
  readonly description: string;
  readonly environment: string;
  readonly targetUrl: string;
  readonly logUrl: string;
  readonly environmentUrl: string;
  readonly creator: FakeUser;
  readonly createdAt: string;
}

export interface FakeDeployment {
  readonly id: number;
  readonly sha: string;
  readonly ref: string;
  readonly task: string;
  readonly payload: unknown;
  readonly environment: string;
  readonly description: string | null;
  readonly transientEnvironment: boolean;
  readonly productionEnvironment: boolean;
  readonly creator: FakeUser;
  readonly createdAt: string;
  readonly statuses: FakeDeploymentStatus[];
}

export interface FakeComment {
  readonly id: number;
  readonly body: string;
  readonly user: FakeUser;
  readonly createdAt: string;
}

/** A pull request; its head SHA is read from the head branch (a push moves it, as on GitHub). */
export interface FakePull {
  readonly id: number;
  readonly number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  readonly head: string;
  base: string;
  readonly user: FakeUser;
  readonly labels: Array<{ id: number; name: string }>;
  readonly reviewers: FakeUser[];
  /** Users assigned (`POST /issues/{n}/assignees`); absent on pulls made before this field existed. */
  assignees?: FakeUser[];
  readonly teams: string[];
  readonly comments: FakeComment[];
  readonly createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  mergedBy?: FakeUser;
  /** The head's tip when it closed (the branch may move or go afterwards). */
  closedHeadSha?: string;
  /** Auto-merge enabled (GraphQL `enablePullRequestAutoMerge`): merged once the required checks pass. */
  autoMerge?: { readonly method: 'MERGE' | 'SQUASH' | 'REBASE'; readonly by: FakeUser } | null;
}

/** Where `pull_request` events go, signed with `secret` (X-Hub-Signature-256). */
export interface FakeWebhook {
  readonly url: string;
  readonly secret: string;
}

export interface FakeRepository {
  readonly id: number;
  readonly owner: FakeUser;
  readonly name: string;
  /** `owner/name` */
  readonly fullName: string;
  /** The bare repository on disk. */
  readonly dir: string;
  /** Commit statuses, oldest first. */
  readonly statuses: FakeCommitStatus[];
  /** Check runs, oldest first. */
  readonly checkRuns: FakeCheckRun[];
  readonly deployments: FakeDeployment[];
  /** Pull requests, numbered from 1 (issue numbers). */
  readonly pulls: FakePull[];
  nextNumber: number;
  readonly webhooks: FakeWebhook[];
  /** Branch protection: branch -> the status contexts or check run names that must pass before a merge. */
  readonly requiredChecks: Map<string, readonly string[]>;
}

export interface FakeState {
  /** `http://127.0.0.1:<port>`: the API base URL, used in every `url` field. */
  apiUrl: string;
  /** `html_url`s point here (GitHub's web host). */
  readonly webUrl: string;
  readonly repositories: Map<string, FakeRepository>;
  readonly usersByToken: Map<string, FakeUser>;
  nextId(): number;
  /** ISO timestamp without milliseconds, as GitHub writes them. */
  now(): string;
  user(login: string): FakeUser;
}

export function createFakeState(clock: () => Date): FakeState {
  let id = 1000;
  const users = new Map<string, FakeUser>();
  const user = (login: string): FakeUser => {
    let u = users.get(login);
    if (!u) {
      u = { login, id: ++id };
      users.set(login, u);
    }
    return u;
  };
  return {
    apiUrl: '',
    webUrl: 'https://github.test',
    repositories: new Map(),
    usersByToken: new Map(),
    nextId: () => ++id,
    now: () => `${clock().toISOString().slice(0, 19)}Z`,
    user,
  };
}

/** Repository names are case-insensitive on GitHub. */
export const repoKey = (owner: string, name: string): string => `${owner}/${name}`.toLowerCase();

/** Whether `sha` names a commit in the repository: `git cat-file -e <sha>^{commit}`. */
export async function commitExists(repo: FakeRepository, sha: string): Promise<boolean> {
  if (!/^[0-9a-f]{40}$/i.test(sha)) return false;
  try {
    await runGit(['cat-file', '-e', `${sha}^{commit}`], repo.dir);
    return true;
  } catch {
    return false;
  }
}

/** The commit a ref (SHA, branch or tag name) points at, or `undefined`. */
export async function resolveCommit(repo: FakeRepository, ref: string): Promise<string | undefined> {
  // a ref starting with "-" would be an option to git
  if (ref.startsWith('-') || ref.length === 0) return undefined;
  const candidates = /^[0-9a-f]{40}$/i.test(ref) ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`, ref];
  for (const c of candidates) {
    try {
      return (await runGit(['rev-parse', '--verify', '--quiet', `${c}^{commit}`], repo.dir)).trim();
    } catch {
      // try the next kind of ref
    }
  }
  return undefined;
}

/** GitHub's `simple-user` shape. */
export function userJson(state: FakeState, u: FakeUser): Record<string, unknown> {
  const url = `${state.apiUrl}/users/${u.login}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId('User', u.id),
    avatar_url: `${state.webUrl}/avatars/${u.login}`,
    gravatar_id: '',
    url,
    html_url: `${state.webUrl}/${u.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: 'User',
    site_admin: false,
  };
}

/** GitHub's `minimal-repository` shape (the fields clients read). */
export function repositoryJson(state: FakeState, r: FakeRepository): Record<string, unknown> {
  const url = `${state.apiUrl}/repos/${r.fullName}`;
  return {
    id: r.id,
    node_id: nodeId('Repository', r.id),
    name: r.name,
    full_name: r.fullName,
    owner: userJson(state, r.owner),
    private: true,
    html_url: `${state.webUrl}/${r.fullName}`,
    description: null,
    fork: false,
    url,
    commits_url: `${url}/commits{/sha}`,
    deployments_url: `${url}/deployments`,
    pulls_url: `${url}/pulls{/number}`,
    statuses_url: `${url}/statuses/{sha}`,
    git_url: `git://github.test/${r.fullName}.git`,
    clone_url: `${state.webUrl}/${r.fullName}.git`,
  };
}

/** GitHub's opaque GraphQL ids; stable per kind and id, which is all clients rely on. */
export const nodeId = (kind: string, id: number): string =>
  Buffer.from(`0${kind.length}:${kind}${id}`).toString('base64');
