import { createHash } from 'node:crypto';
import { runGit } from '../git-fixtures.js';
import type { GitLabMergeRequest, GitLabNote, GitLabProject, GitLabState, GitLabUser } from './state.js';
import { branchTip, mergeForReal } from './state.js';

/**
 * GitLab REST API v4 merge requests ("Merge requests API", "Notes API") over the project's
 * real Git, answering with GitLab's documented shapes and errors: `{"message": "..."}`,
 * `{"message": ["..."]}` on 409, `{"error": "... is missing"}` on 400.
 */

export interface GitLabRequest {
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Record<string, unknown>;
  readonly user: GitLabUser;
}

export interface GitLabResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Called after a merge request changed, with the event's `action` (open, update, close, merge). */
export type MergeRequestEventSink = (
  project: GitLabProject,
  mr: GitLabMergeRequest,
  action: string,
  by: GitLabUser,
) => Promise<void>;

export const message = (status: number, text: string): GitLabResponse => ({ status, body: { message: text } });

const userJson = (state: GitLabState, u: GitLabUser) => ({
  id: u.id,
  username: u.username,
  name: u.username,
  state: 'active',
  avatar_url: `${state.webUrl}/uploads/-/system/user/avatar/${u.id}/avatar.png`,
  web_url: `${state.webUrl}/${u.username}`,
});

/** The source's tip now, or when it closed (its branch may have moved or gone). */
export async function sourceSha(project: GitLabProject, mr: GitLabMergeRequest): Promise<string | null> {
  if (mr.state !== 'opened' && mr.closedSha) return mr.closedSha;
  return (await branchTip(project, mr.sourceBranch)) ?? mr.closedSha;
}

/** The newest pipeline of a commit, as `head_pipeline`. */
const pipelineOf = (project: GitLabProject, sha: string | null) =>
  [...project.pipelines].reverse().find((p) => p.sha === sha);

/** GitLab's merge request shape (the fields clients read, with their documented names). */
export async function mergeRequestJson(
  state: GitLabState,
  project: GitLabProject,
  mr: GitLabMergeRequest,
): Promise<Record<string, unknown>> {
  const sha = await sourceSha(project, mr);
  const pipeline = pipelineOf(project, sha);
  return {
    id: mr.id,
    iid: mr.iid,
    project_id: project.id,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    created_at: mr.createdAt,
    updated_at: mr.updatedAt,
    merged_by: mr.mergedBy ? userJson(state, mr.mergedBy) : null,
    merge_user: mr.mergedBy ? userJson(state, mr.mergedBy) : null,
    merged_at: mr.mergedAt,
    closed_at: mr.closedAt,
    target_branch: mr.targetBranch,
    source_branch: mr.sourceBranch,
    author: userJson(state, mr.author),
    assignees: (mr.assignees ?? []).map((u) => userJson(state, u)),
    reviewers: mr.reviewers.map((u) => userJson(state, u)),
    source_project_id: project.id,
    target_project_id: project.id,
    labels: [...mr.labels],
    draft: false,
    work_in_progress: false,
    merge_when_pipeline_succeeds: mr.autoMerge !== null,
    merge_status: mr.state === 'opened' ? 'can_be_merged' : 'unchecked',
    detailed_merge_status: mr.state === 'opened' ? (mr.autoMerge ? 'ci_still_running' : 'mergeable') : 'not_open',
    sha,
    merge_commit_sha: mr.mergeCommitSha,
    squash_commit_sha: mr.squashCommitSha,
    squash: mr.autoMerge?.squash ?? false,
    user_notes_count: mr.notes.length,
    should_remove_source_branch: null,
    force_remove_source_branch: false,
    web_url: `${state.webUrl}/${project.path}/-/merge_requests/${mr.iid}`,
    references: { short: `!${mr.iid}`, relative: `!${mr.iid}`, full: `${project.path}!${mr.iid}` },
    head_pipeline: pipeline ? { id: pipeline.id, sha: pipeline.sha, status: pipeline.status } : null,
  };
}

const noteJson = (state: GitLabState, mr: GitLabMergeRequest, n: GitLabNote) => ({
  id: n.id,
  type: null,
  body: n.body,
  author: userJson(state, n.author),
  created_at: n.createdAt,
  updated_at: n.createdAt,
  system: false,
  noteable_id: mr.id,
  noteable_type: 'MergeRequest',
  noteable_iid: mr.iid,
});

/** A weak ETag, as GitLab's API sends for conditional GETs. */
const etagOf = (body: unknown) => `W/"${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32)}"`;

const labelsOf = (v: unknown): string[] | undefined =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : Array.isArray(v)
      ? v.filter((x): x is string => typeof x === 'string')
      : undefined;

export interface MergeRequestRoutes {
  list(project: GitLabProject, req: GitLabRequest): Promise<GitLabResponse>;
  create(project: GitLabProject, req: GitLabRequest): Promise<GitLabResponse>;
  get(project: GitLabProject, req: GitLabRequest): Promise<GitLabResponse>;
  update(project: GitLabProject, req: GitLabRequest): Promise<GitLabResponse>;
  merge(project: GitLabProject, req: GitLabRequest): Promise<GitLabResponse>;
  addNote(project: GitLabProject, req: GitLabRequest): Promise<GitLabResponse>;
  listNotes(project: GitLabProject, req: GitLabRequest): Promise<GitLabResponse>;
}

export function mergeRequestRoutes(state: GitLabState, events: MergeRequestEventSink): MergeRequestRoutes {
  const find = (project: GitLabProject, req: GitLabRequest) =>
    project.mergeRequests.find((m) => m.iid === Number(req.params.iid));
  const json = (project: GitLabProject, mr: GitLabMergeRequest) => mergeRequestJson(state, project, mr);
  return {
    async list(project, req) {
      const wanted = req.query.get('state') ?? 'all';
      const source = req.query.get('source_branch');
      const target = req.query.get('target_branch');
      const found = project.mergeRequests
        .filter((m) => wanted === 'all' || m.state === wanted)
        .filter((m) => !source || m.sourceBranch === source)
        .filter((m) => !target || m.targetBranch === target)
        .sort((a, b) => b.iid - a.iid);
      const perPage = Math.min(100, Math.max(1, Number(req.query.get('per_page') ?? 20) || 20));
      return { status: 200, body: await Promise.all(found.slice(0, perPage).map((m) => json(project, m))) };
    },
    async create(project, req) {
      const b = req.body;
      for (const field of ['source_branch', 'target_branch', 'title'])
        if (typeof b[field] !== 'string' || (b[field] as string).length === 0)
          return { status: 400, body: { error: `${field} is missing` } };
      const source = b.source_branch as string;
      const target = b.target_branch as string;
      const existing = project.mergeRequests.find((m) => m.state === 'opened' && m.sourceBranch === source);
      if (existing)
        return {
          status: 409,
          body: { message: [`Another open merge request already exists for this source branch: !${existing.iid}`] },
        };
      const head = await branchTip(project, source);
      const base = await branchTip(project, target);
      if (!head || !base)
        return {
          status: 422,
          body: { message: [head ? 'Target branch is invalid' : 'Source branch is invalid'] },
        };
      if ((await runGit(['rev-list', '--count', `${base}..${head}`], project.dir)).trim() === '0')
        return { status: 422, body: { message: ['The source branch has no commits that are not in the target'] } };
      const at = state.now();
      const reviewerIds = Array.isArray(b.reviewer_ids) ? b.reviewer_ids : [];
      const assigneeIds = Array.isArray(b.assignee_ids) ? b.assignee_ids : [];
      const mr: GitLabMergeRequest = {
        id: state.nextId(),
        iid: project.nextIid++,
        title: b.title as string,
        description: typeof b.description === 'string' ? b.description : '',
        state: 'opened',
        sourceBranch: source,
        targetBranch: target,
        author: req.user,
        labels: labelsOf(b.labels) ?? [],
        reviewers: [...state.users.values()].filter((u) => reviewerIds.includes(u.id)),
        assignees: [...state.users.values()].filter((u) => assigneeIds.includes(u.id)),
        notes: [],
        createdAt: at,
        updatedAt: at,
        mergedAt: null,
        closedAt: null,
        mergeCommitSha: null,
        squashCommitSha: null,
        mergedBy: null,
        autoMerge: null,
        closedSha: null,
      };
      project.mergeRequests.push(mr);
      await events(project, mr, 'open', req.user);
      return { status: 201, body: await json(project, mr) };
    },
    async get(project, req) {
      const mr = find(project, req);
      if (!mr) return message(404, '404 Not found');
      const body = await json(project, mr);
      const etag = etagOf(body);
      if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
      return { status: 200, body, headers: { etag } };
    },
    async update(project, req) {
      const mr = find(project, req);
      if (!mr) return message(404, '404 Not found');
      const b = req.body;
      if (typeof b.title === 'string') mr.title = b.title;
      if (typeof b.description === 'string') mr.description = b.description;
      if (typeof b.target_branch === 'string') mr.targetBranch = b.target_branch;
      const labels = labelsOf(b.labels);
      if (labels) mr.labels = labels;
      for (const l of labelsOf(b.add_labels) ?? []) if (!mr.labels.includes(l)) mr.labels.push(l);
      let action = 'update';
      if (b.state_event === 'close' && mr.state === 'opened') {
        Object.assign(mr, { state: 'closed', closedAt: state.now(), closedSha: await sourceSha(project, mr) });
        action = 'close';
      } else if (b.state_event === 'reopen' && mr.state === 'closed') {
        Object.assign(mr, { state: 'opened', closedAt: null, closedSha: null });
        action = 'reopen';
      }
      mr.updatedAt = state.now();
      await events(project, mr, action, req.user);
      return { status: 200, body: await json(project, mr) };
    },
    async merge(project, req) {
      const mr = find(project, req);
      if (!mr) return message(404, '404 Not found');
      const b = req.body;
      if (mr.state !== 'opened') return message(405, '405 Method Not Allowed');
      const head = await sourceSha(project, mr);
      if (typeof b.sha === 'string' && b.sha !== head) return message(409, 'SHA does not match HEAD of source branch');
      const squash = b.squash === true;
      const pipeline = pipelineOf(project, head);
      // merge when the pipeline succeeds: set now, merged by the pipeline (see pipelineFinished)
      if ((b.merge_when_pipeline_succeeds === true || b.auto_merge === true) && pipeline?.status !== 'success') {
        if (pipeline && (pipeline.status === 'failed' || pipeline.status === 'canceled'))
          return message(405, '405 Method Not Allowed');
        mr.autoMerge = { squash, by: req.user };
        mr.updatedAt = state.now();
        await events(project, mr, 'update', req.user);
        return { status: 200, body: await json(project, mr) };
      }
      const merged = await mergeForReal(state, project, mr, req.user, {
        squash,
        ...(typeof b.merge_commit_message === 'string' ? { message: b.merge_commit_message } : {}),
      });
      if (!merged.ok) return message(merged.status, merged.message);
      await events(project, mr, 'merge', req.user);
      return { status: 200, body: await json(project, mr) };
    },
    async addNote(project, req) {
      const mr = find(project, req);
      if (!mr) return message(404, '404 Not found');
      if (typeof req.body.body !== 'string' || req.body.body.length === 0)
        return { status: 400, body: { error: 'body is missing' } };
      const note: GitLabNote = { id: state.nextId(), body: req.body.body, author: req.user, createdAt: state.now() };
      mr.notes.push(note);
      return { status: 201, body: noteJson(state, mr, note) };
    },
    async listNotes(project, req) {
      const mr = find(project, req);
      if (!mr) return message(404, '404 Not found');
      return { status: 200, body: mr.notes.map((n) => noteJson(state, mr, n)) };
    },
  };
}
