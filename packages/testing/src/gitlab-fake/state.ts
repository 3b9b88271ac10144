import { execFile } from 'node:child_process';
import { runGit } from '../git-fixtures.js';

/**
 * What the GitLab fake holds: projects (each a real bare repository, so branches, merges and
 * conflicts are Git's answers), users by token, merge requests, notes and pipelines.
 */

export interface GitLabUser {
  readonly id: number;
  readonly username: string;
}

export interface GitLabNote {
  readonly id: number;
  readonly body: string;
  readonly author: GitLabUser;
  readonly createdAt: string;
}

/** A pipeline as the fake knows it: the status of one commit (set by the test, as CI would). */
export interface GitLabPipeline {
  readonly id: number;
  readonly sha: string;
  status: 'created' | 'pending' | 'running' | 'success' | 'failed' | 'canceled';
}

export interface GitLabMergeRequest {
  readonly id: number;
  readonly iid: number;
  title: string;
  description: string;
  state: 'opened' | 'closed' | 'merged';
  readonly sourceBranch: string;
  targetBranch: string;
  readonly author: GitLabUser;
  labels: string[];
  reviewers: GitLabUser[];
  /** From `assignee_ids`; absent on merge requests made before this field existed. */
  assignees?: GitLabUser[];
  readonly notes: GitLabNote[];
  readonly createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  mergeCommitSha: string | null;
  squashCommitSha: string | null;
  mergedBy: GitLabUser | null;
  /** Set by "merge when pipeline succeeds": merges once the head's pipeline succeeds. */
  autoMerge: { squash: boolean; by: GitLabUser } | null;
  /** The source's tip when it closed or merged (the branch may move afterwards). */
  closedSha: string | null;
}

export interface GitLabHook {
  readonly url: string;
  /** Sent as `X-Gitlab-Token`. */
  readonly token: string;
}

export interface GitLabProject {
  readonly id: number;
  /** `group/subgroup/name` */
  readonly path: string;
  readonly dir: string;
  readonly mergeRequests: GitLabMergeRequest[];
  readonly pipelines: GitLabPipeline[];
  readonly hooks: GitLabHook[];
  nextIid: number;
}

export interface GitLabState {
  apiUrl: string;
  readonly webUrl: string;
  readonly projects: Map<string, GitLabProject>;
  readonly tokens: Map<string, { user: GitLabUser; scopes: readonly string[] }>;
  nextId(): number;
  user(username: string): GitLabUser;
  readonly users: Map<string, GitLabUser>;
  now(): string;
}

export function createGitLabState(clock: () => Date): GitLabState {
  let id = 100;
  const users = new Map<string, GitLabUser>();
  return {
    apiUrl: '',
    webUrl: 'https://gitlab.test',
    projects: new Map(),
    tokens: new Map(),
    users,
    nextId: () => ++id,
    user(username) {
      let u = users.get(username);
      if (!u) {
        u = { id: ++id, username };
        users.set(username, u);
      }
      return u;
    },
    // GitLab writes milliseconds and a zone
    now: () => clock().toISOString(),
  };
}

/** The commit a branch points at, or undefined. */
export async function branchTip(project: GitLabProject, branch: string): Promise<string | undefined> {
  if (branch.startsWith('-') || branch.length === 0) return undefined;
  try {
    return (await runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], project.dir)).trim();
  } catch {
    return undefined;
  }
}

function gitEnv(args: string[], cwd: string, input: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      err ? reject(new Error(`git ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

/**
 * Merges a merge request for real: `git merge-tree --write-tree` of target and source, then a
 * merge commit (or, with `squash`, one commit with the source's tree change on the target),
 * the target ref moved only if nobody moved it meanwhile. A conflict is GitLab's 406.
 */
export async function mergeForReal(
  state: GitLabState,
  project: GitLabProject,
  mr: GitLabMergeRequest,
  by: GitLabUser,
  o: { squash?: boolean; message?: string } = {},
): Promise<{ ok: true; sha: string } | { ok: false; status: number; message: string }> {
  const head = await branchTip(project, mr.sourceBranch);
  const base = await branchTip(project, mr.targetBranch);
  if (mr.state !== 'opened' || !head || !base) return { ok: false, status: 405, message: '405 Method Not Allowed' };
  let tree: string;
  try {
    tree = (await runGit(['merge-tree', '--write-tree', base, head], project.dir)).split('\n')[0]?.trim() ?? '';
  } catch {
    return { ok: false, status: 406, message: 'Branch cannot be merged' };
  }
  const when = `${Math.floor(Date.parse(state.now()) / 1000)} +0000`;
  const env = {
    GIT_AUTHOR_NAME: by.username,
    GIT_AUTHOR_EMAIL: `${by.username}@gitlab.test`,
    GIT_AUTHOR_DATE: when,
    GIT_COMMITTER_NAME: by.username,
    GIT_COMMITTER_EMAIL: `${by.username}@gitlab.test`,
    GIT_COMMITTER_DATE: when,
  };
  let squashSha: string | null = null;
  let second = head;
  if (o.squash) {
    squashSha = (await gitEnv(['commit-tree', tree, '-p', base], project.dir, `${mr.title}\n`, env)).trim();
    second = squashSha;
  }
  const message =
    o.message ??
    `Merge branch '${mr.sourceBranch}' into '${mr.targetBranch}'\n\n${mr.title}\n\nSee merge request ${project.path}!${mr.iid}\n`;
  const sha = (await gitEnv(['commit-tree', tree, '-p', base, '-p', second], project.dir, message, env)).trim();
  await runGit(['update-ref', `refs/heads/${mr.targetBranch}`, sha, base], project.dir);
  const at = state.now();
  Object.assign(mr, {
    state: 'merged',
    mergedAt: at,
    updatedAt: at,
    mergeCommitSha: sha,
    squashCommitSha: squashSha,
    mergedBy: by,
    autoMerge: null,
    closedSha: head,
  } satisfies Partial<GitLabMergeRequest>);
  return { ok: true, sha };
}
