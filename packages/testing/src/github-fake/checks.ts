import type { FakeRequest, FakeResponse, Route } from './http.js';
import { DOCS, githubError, notSupplied, objectBody, paginate, validationFailed } from './http.js';
import type { FakeCheckRun, FakeRepository, FakeState } from './state.js';
import { commitExists, nodeId, resolveCommit } from './state.js';
import type { RepoLookup } from './statuses.js';

/** Check runs (docs: REST API, "Checks" / "Check runs"): create, update, get, list for a ref. */

const RUNS = `${DOCS}/checks/runs`;
const CREATE_DOCS = `${RUNS}#create-a-check-run`;
const UPDATE_DOCS = `${RUNS}#update-a-check-run`;
const GET_DOCS = `${RUNS}#get-a-check-run`;
const LIST_DOCS = `${RUNS}#list-check-runs-for-a-git-reference`;

const STATUSES = ['queued', 'in_progress', 'completed'] as const;
const CONCLUSIONS = [
  'action_required',
  'cancelled',
  'failure',
  'neutral',
  'success',
  'skipped',
  'stale',
  'timed_out',
] as const;

/** What a test or CI sets on a check run; the REST body's fields, camel-cased. */
export interface CheckRunInput {
  readonly name: string;
  readonly status?: FakeCheckRun['status'];
  readonly conclusion?: NonNullable<FakeCheckRun['conclusion']>;
  readonly detailsUrl?: string;
  readonly externalId?: string;
  readonly title?: string;
  readonly summary?: string;
}

/** A passing check run: completed as success, neutral or skipped (what branch protection accepts). */
export const checkRunPassed = (c: FakeCheckRun): boolean =>
  c.status === 'completed' && (c.conclusion === 'success' || c.conclusion === 'neutral' || c.conclusion === 'skipped');

/** The newest check run of each name on `sha` (GitHub's `filter=latest`), newest first. */
export function latestCheckRuns(runs: readonly FakeCheckRun[], sha: string): FakeCheckRun[] {
  const seen = new Set<string>();
  const out: FakeCheckRun[] = [];
  for (let i = runs.length - 1; i >= 0; i--) {
    const r = runs[i];
    if (!r || r.headSha !== sha || seen.has(r.name)) continue;
    seen.add(r.name);
    out.push(r);
  }
  return out;
}

export function checkRunJson(state: FakeState, repo: FakeRepository, r: FakeCheckRun): Record<string, unknown> {
  const url = `${state.apiUrl}/repos/${repo.fullName}/check-runs/${r.id}`;
  return {
    id: r.id,
    head_sha: r.headSha,
    node_id: nodeId('CheckRun', r.id),
    external_id: r.externalId,
    url,
    html_url: `${state.webUrl}/${repo.fullName}/runs/${r.id}`,
    details_url: r.detailsUrl,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.startedAt,
    completed_at: r.completedAt,
    output: { ...r.output, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: r.name,
    check_suite: null,
    app: null,
    pull_requests: [],
  };
}

/** Applies a create/update body to a run; an error response when a field is invalid. */
function applyBody(
  state: FakeState,
  run: FakeCheckRun,
  b: Record<string, unknown>,
  docs: string,
): FakeResponse | undefined {
  const invalid = (field: string) => validationFailed(docs, [{ resource: 'CheckRun', field, code: 'invalid' }]);
  if (b.status !== undefined && !(STATUSES as readonly unknown[]).includes(b.status)) return invalid('status');
  if (b.conclusion !== undefined && !(CONCLUSIONS as readonly unknown[]).includes(b.conclusion))
    return invalid('conclusion');
  if (typeof b.name === 'string') Object.assign(run, { name: b.name });
  if (typeof b.details_url === 'string') run.detailsUrl = b.details_url;
  if (typeof b.external_id === 'string') run.externalId = b.external_id;
  const output = b.output as Record<string, unknown> | undefined;
  if (output && typeof output === 'object') {
    if (typeof output.title === 'string') run.output.title = output.title;
    if (typeof output.summary === 'string') run.output.summary = output.summary;
    if (typeof output.text === 'string') run.output.text = output.text;
  }
  // as GitHub: a conclusion completes the run; "completed" without a conclusion is refused
  if (typeof b.conclusion === 'string') {
    run.status = 'completed';
    run.conclusion = b.conclusion as FakeCheckRun['conclusion'];
  } else if (b.status === 'completed') {
    return validationFailed(docs, [
      { resource: 'CheckRun', field: 'conclusion', code: 'custom', message: 'conclusion is required' },
    ]);
  } else if (typeof b.status === 'string') {
    run.status = b.status as FakeCheckRun['status'];
  }
  if (run.status === 'completed') run.completedAt ??= state.now();
  return undefined;
}

/** The REST body of a `CheckRunInput`. */
export const checkRunBody = (i: CheckRunInput): Record<string, unknown> => ({
  name: i.name,
  ...(i.status ? { status: i.status } : {}),
  ...(i.conclusion ? { conclusion: i.conclusion } : {}),
  ...(i.detailsUrl ? { details_url: i.detailsUrl } : {}),
  ...(i.externalId ? { external_id: i.externalId } : {}),
  ...(i.title || i.summary ? { output: { title: i.title ?? null, summary: i.summary ?? null } } : {}),
});

/** Creates a check run on `sha`: the run, or GitHub's error answer. */
export async function createCheckRun(
  state: FakeState,
  repo: FakeRepository,
  sha: string,
  body: Record<string, unknown>,
  creator: FakeRequest['user'],
): Promise<FakeCheckRun | FakeResponse> {
  if (typeof body.name !== 'string') return notSupplied('name', CREATE_DOCS);
  if (!(await commitExists(repo, sha))) return githubError(422, `No commit found for SHA: ${sha}`, CREATE_DOCS);
  const run: FakeCheckRun = {
    id: state.nextId(),
    headSha: sha.toLowerCase(),
    name: body.name,
    status: 'queued',
    conclusion: null,
    detailsUrl: null,
    externalId: null,
    output: { title: null, summary: null, text: null },
    startedAt: state.now(),
    completedAt: null,
    creator,
  };
  const invalid = applyBody(state, run, body, CREATE_DOCS);
  if (invalid) return invalid;
  repo.checkRuns.push(run);
  return run;
}

export function checkRoutes(
  state: FakeState,
  lookup: RepoLookup,
  /** Told after a check run was created or changed (auto-merge waits for required checks). */
  onCheck?: (repo: FakeRepository, sha: string) => Promise<void>,
): Route[] {
  const runOf = (repo: FakeRepository, req: FakeRequest, docs: string) =>
    repo.checkRuns.find((r) => r.id === Number(req.params.id)) ?? githubError(404, 'Not Found', docs);
  return [
    {
      method: 'POST',
      pattern: '/repos/{owner}/{repo}/check-runs',
      docs: CREATE_DOCS,
      async handle(req) {
        const repo = lookup(req, CREATE_DOCS);
        if ('status' in repo) return repo;
        const parsed = objectBody(req, CREATE_DOCS);
        if ('error' in parsed) return parsed.error;
        if (typeof parsed.body.head_sha !== 'string') return notSupplied('head_sha', CREATE_DOCS);
        const run = await createCheckRun(state, repo, parsed.body.head_sha, parsed.body, req.user);
        if (!('headSha' in run)) return run;
        await onCheck?.(repo, run.headSha);
        return { status: 201, body: checkRunJson(state, repo, run) };
      },
    },
    {
      method: 'PATCH',
      pattern: '/repos/{owner}/{repo}/check-runs/{id}',
      docs: UPDATE_DOCS,
      async handle(req) {
        const repo = lookup(req, UPDATE_DOCS);
        if ('status' in repo) return repo;
        const run = runOf(repo, req, UPDATE_DOCS);
        if (!('headSha' in run)) return run;
        const parsed = objectBody(req, UPDATE_DOCS);
        if ('error' in parsed) return parsed.error;
        const invalid = applyBody(state, run, parsed.body, UPDATE_DOCS);
        if (invalid) return invalid;
        await onCheck?.(repo, run.headSha);
        return { status: 200, body: checkRunJson(state, repo, run) };
      },
    },
    {
      method: 'GET',
      pattern: '/repos/{owner}/{repo}/check-runs/{id}',
      docs: GET_DOCS,
      async handle(req) {
        const repo = lookup(req, GET_DOCS);
        if ('status' in repo) return repo;
        const run = runOf(repo, req, GET_DOCS);
        if (!('headSha' in run)) return run;
        return { status: 200, body: checkRunJson(state, repo, run) };
      },
    },
    {
      method: 'GET',
      pattern: '/repos/{owner}/{repo}/commits/{ref+}/check-runs',
      docs: LIST_DOCS,
      async handle(req) {
        const repo = lookup(req, LIST_DOCS);
        if ('status' in repo) return repo;
        const ref = req.params.ref ?? '';
        const sha = await resolveCommit(repo, ref);
        if (!sha) return githubError(422, `No commit found for SHA: ${ref}`, LIST_DOCS);
        const filter = req.query.get('filter') ?? 'latest';
        const name = req.query.get('check_name');
        const status = req.query.get('status');
        const runs = (
          filter === 'all'
            ? repo.checkRuns.filter((r) => r.headSha === sha).reverse()
            : latestCheckRuns(repo.checkRuns, sha)
        )
          .filter((r) => !name || r.name === name)
          .filter((r) => !status || r.status === status);
        const { page, headers } = paginate(runs, req, `${state.apiUrl}${req.path}`);
        return {
          status: 200,
          headers,
          body: { total_count: runs.length, check_runs: page.map((r) => checkRunJson(state, repo, r)) },
        };
      },
    },
  ];
}
