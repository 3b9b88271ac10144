import type { FakeRequest, FakeResponse, Route } from './http.js';
import { DOCS, githubError, notSupplied, objectBody, paginate, validationFailed } from './http.js';
import type { FakeCommitStatus, FakeRepository, FakeState } from './state.js';
import { commitExists, nodeId, repositoryJson, resolveCommit, userJson } from './state.js';

/** Commit statuses (docs: REST API, "Commit statuses"). */

const STATES = ['error', 'failure', 'pending', 'success'] as const;
const CREATE_DOCS = `${DOCS}/commits/statuses#create-a-commit-status`;
const LIST_DOCS = `${DOCS}/commits/statuses#list-commit-statuses-for-a-reference`;
const COMBINED_DOCS = `${DOCS}/commits/statuses#get-the-combined-status-for-a-specific-reference`;
/** GitHub refuses more than 1000 statuses per SHA and context. */
const MAX_PER_CONTEXT = 1000;

export type RepoLookup = (req: FakeRequest, docs: string) => FakeRepository | FakeResponse;

function statusJson(state: FakeState, repo: FakeRepository, s: FakeCommitStatus): Record<string, unknown> {
  return {
    url: `${state.apiUrl}/repos/${repo.fullName}/statuses/${s.sha}`,
    avatar_url: `${state.webUrl}/avatars/${s.creator.login}`,
    id: s.id,
    node_id: nodeId('StatusContext', s.id),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    creator: userJson(state, s.creator),
  };
}

/** The newest status of each context (contexts are case-insensitive), newest first. */
export function latestPerContext(statuses: readonly FakeCommitStatus[], sha: string): FakeCommitStatus[] {
  const seen = new Set<string>();
  const out: FakeCommitStatus[] = [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const s = statuses[i];
    if (!s || s.sha !== sha || seen.has(s.context.toLowerCase())) continue;
    seen.add(s.context.toLowerCase());
    out.push(s);
  }
  return out;
}

/** failure if any context is error/failure; pending if none or any pending; otherwise success. */
function combinedState(latest: readonly FakeCommitStatus[]): string {
  if (latest.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
  if (latest.length === 0 || latest.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

const optionalString = (v: unknown): v is string | null | undefined =>
  v === undefined || v === null || typeof v === 'string';

export function statusRoutes(
  state: FakeState,
  lookup: RepoLookup,
  /** Told after a status was set (auto-merge waits for required checks). */
  onStatus?: (repo: FakeRepository, sha: string) => Promise<void>,
): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/repos/{owner}/{repo}/statuses/{sha}',
      docs: CREATE_DOCS,
      async handle(req) {
        const repo = lookup(req, CREATE_DOCS);
        if ('status' in repo) return repo;
        const parsed = objectBody(req, CREATE_DOCS);
        if ('error' in parsed) return parsed.error;
        const { body } = parsed;
        if (body.state === undefined) return notSupplied('state', CREATE_DOCS);
        if (typeof body.state !== 'string' || !(STATES as readonly string[]).includes(body.state)) {
          return validationFailed(CREATE_DOCS, [
            { resource: 'Status', field: 'state', code: 'custom', message: 'state is not included in the list' },
          ]);
        }
        if (!optionalString(body.target_url) || !optionalString(body.description) || !optionalString(body.context)) {
          return githubError(422, 'Invalid request.\n\nInvalid property types.', CREATE_DOCS);
        }
        if ((body.description?.length ?? 0) > 140) {
          return validationFailed(CREATE_DOCS, [
            {
              resource: 'Status',
              field: 'description',
              code: 'custom',
              message: 'description is too long (maximum is 140 characters)',
            },
          ]);
        }
        const sha = req.params.sha ?? '';
        if (!(await commitExists(repo, sha))) return githubError(422, `No commit found for SHA: ${sha}`, CREATE_DOCS);
        const context = body.context ?? 'default';
        const sameContext = repo.statuses.filter(
          (s) => s.sha === sha.toLowerCase() && s.context.toLowerCase() === context.toLowerCase(),
        );
        if (sameContext.length >= MAX_PER_CONTEXT) {
          return validationFailed(CREATE_DOCS, [
            {
              resource: 'Status',
              field: 'context',
              code: 'custom',
              message: `This SHA and context has reached the maximum number of statuses.`,
            },
          ]);
        }
        const status: FakeCommitStatus = {
          id: state.nextId(),
          sha: sha.toLowerCase(),
          state: body.state as FakeCommitStatus['state'],
          targetUrl: body.target_url ?? null,
          description: body.description ?? null,
          context,
          creator: req.user,
          createdAt: state.now(),
        };
        repo.statuses.push(status);
        await onStatus?.(repo, status.sha);
        const json = statusJson(state, repo, status);
        return { status: 201, body: json, headers: { location: String(json.url) } };
      },
    },
    {
      method: 'GET',
      pattern: '/repos/{owner}/{repo}/commits/{ref+}/statuses',
      docs: LIST_DOCS,
      async handle(req) {
        const repo = lookup(req, LIST_DOCS);
        if ('status' in repo) return repo;
        const sha = await resolveCommit(repo, req.params.ref ?? '');
        const all = sha ? repo.statuses.filter((s) => s.sha === sha).reverse() : [];
        const { page, headers } = paginate(all, req, `${state.apiUrl}${req.path}`);
        return { status: 200, body: page.map((s) => statusJson(state, repo, s)), headers };
      },
    },
    {
      method: 'GET',
      pattern: '/repos/{owner}/{repo}/commits/{ref+}/status',
      docs: COMBINED_DOCS,
      async handle(req) {
        const repo = lookup(req, COMBINED_DOCS);
        if ('status' in repo) return repo;
        const ref = req.params.ref ?? '';
        const sha = await resolveCommit(repo, ref);
        if (!sha) return githubError(404, `No commit found for SHA: ${ref}`, COMBINED_DOCS);
        const latest = latestPerContext(repo.statuses, sha);
        const { page, headers } = paginate(latest, req, `${state.apiUrl}${req.path}`);
        const base = `${state.apiUrl}/repos/${repo.fullName}/commits/${sha}`;
        return {
          status: 200,
          headers,
          body: {
            state: combinedState(latest),
            statuses: page.map((s) => {
              const { creator: _creator, ...simple } = statusJson(state, repo, s);
              return { ...simple, required: false };
            }),
            sha,
            total_count: latest.length,
            repository: repositoryJson(state, repo),
            commit_url: base,
            url: `${base}/status`,
          },
        };
      },
    },
  ];
}
