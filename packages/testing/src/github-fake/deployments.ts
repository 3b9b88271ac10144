import type { Route } from './http.js';
import { DOCS, githubError, notSupplied, objectBody, paginate, validationFailed } from './http.js';
import type { FakeDeployment, FakeDeploymentStatus, FakeRepository, FakeState } from './state.js';
import { nodeId, resolveCommit, userJson } from './state.js';
import type { RepoLookup } from './statuses.js';
import { latestPerContext } from './statuses.js';

/** Deployments and deployment statuses (docs: REST API, "Deployments"). No auto-merge: `auto_merge` is ignored. */

const CREATE_DOCS = `${DOCS}/deployments/deployments#create-a-deployment`;
const LIST_DOCS = `${DOCS}/deployments/deployments#list-deployments`;
const STATUS_DOCS = `${DOCS}/deployments/statuses#create-a-deployment-status`;
const LIST_STATUS_DOCS = `${DOCS}/deployments/statuses#list-deployment-statuses`;
const STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'] as const;

function deploymentJson(state: FakeState, repo: FakeRepository, d: FakeDeployment): Record<string, unknown> {
  const url = `${state.apiUrl}/repos/${repo.fullName}/deployments/${d.id}`;
  return {
    url,
    id: d.id,
    node_id: nodeId('Deployment', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: userJson(state, d.creator),
    created_at: d.createdAt,
    updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt,
    statuses_url: `${url}/statuses`,
    repository_url: `${state.apiUrl}/repos/${repo.fullName}`,
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
    performed_via_github_app: null,
  };
}

function deploymentStatusJson(
  state: FakeState,
  repo: FakeRepository,
  d: FakeDeployment,
  s: FakeDeploymentStatus,
): Record<string, unknown> {
  const deploymentUrl = `${state.apiUrl}/repos/${repo.fullName}/deployments/${d.id}`;
  return {
    url: `${deploymentUrl}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DeploymentStatus', s.id),
    state: s.state,
    creator: userJson(state, s.creator),
    description: s.description,
    environment: s.environment,
    target_url: s.targetUrl,
    log_url: s.logUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: deploymentUrl,
    repository_url: `${state.apiUrl}/repos/${repo.fullName}`,
    environment_url: s.environmentUrl,
    performed_via_github_app: null,
  };
}

const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);

export function deploymentRoutes(state: FakeState, lookup: RepoLookup): Route[] {
  const findDeployment = (repo: FakeRepository, id: string | undefined) =>
    repo.deployments.find((d) => String(d.id) === id);
  return [
    {
      method: 'POST',
      pattern: '/repos/{owner}/{repo}/deployments',
      docs: CREATE_DOCS,
      async handle(req) {
        const repo = lookup(req, CREATE_DOCS);
        if ('status' in repo) return repo;
        const parsed = objectBody(req, CREATE_DOCS);
        if ('error' in parsed) return parsed.error;
        const { body } = parsed;
        if (body.ref === undefined) return notSupplied('ref', CREATE_DOCS);
        const ref = str(body.ref, '');
        const sha = await resolveCommit(repo, ref);
        if (!sha) return githubError(422, `No ref found for: ${ref}`, CREATE_DOCS);
        // Without required_contexts GitHub checks every context on the ref; [] skips the check.
        const latest = latestPerContext(repo.statuses, sha);
        const required = Array.isArray(body.required_contexts)
          ? body.required_contexts.map(String)
          : latest.map((s) => s.context);
        const failing = required.filter(
          (c) => latest.find((s) => s.context.toLowerCase() === c.toLowerCase())?.state !== 'success',
        );
        if (failing.length > 0) {
          return {
            status: 409,
            body: {
              message: `Conflict: Commit status checks failed for ${ref}.`,
              errors: [
                {
                  contexts: failing.map((context) => ({ context, state: 'failure' })),
                  resource: 'Deployment',
                  field: 'required_contexts',
                  code: 'invalid',
                },
              ],
              documentation_url: CREATE_DOCS,
              status: '409',
            },
          };
        }
        const environment = str(body.environment, 'production');
        const deployment: FakeDeployment = {
          id: state.nextId(),
          sha,
          ref,
          task: str(body.task, 'deploy'),
          payload: body.payload ?? {},
          environment,
          description: typeof body.description === 'string' ? body.description : '',
          transientEnvironment: body.transient_environment === true,
          productionEnvironment:
            typeof body.production_environment === 'boolean'
              ? body.production_environment
              : environment === 'production',
          creator: req.user,
          createdAt: state.now(),
          statuses: [],
        };
        repo.deployments.push(deployment);
        return { status: 201, body: deploymentJson(state, repo, deployment) };
      },
    },
    {
      method: 'GET',
      pattern: '/repos/{owner}/{repo}/deployments',
      docs: LIST_DOCS,
      handle(req) {
        const repo = lookup(req, LIST_DOCS);
        if ('status' in repo) return repo;
        const q = req.query;
        const matching = repo.deployments
          .filter(
            (d) =>
              (!q.get('sha') || d.sha === q.get('sha')) &&
              (!q.get('ref') || d.ref === q.get('ref')) &&
              (!q.get('task') || d.task === q.get('task')) &&
              (!q.get('environment') || d.environment === q.get('environment')),
          )
          .reverse();
        const { page, headers } = paginate(matching, req, `${state.apiUrl}${req.path}`);
        return { status: 200, body: page.map((d) => deploymentJson(state, repo, d)), headers };
      },
    },
    {
      method: 'POST',
      pattern: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      docs: STATUS_DOCS,
      handle(req) {
        const repo = lookup(req, STATUS_DOCS);
        if ('status' in repo) return repo;
        const deployment = findDeployment(repo, req.params.deployment_id);
        if (!deployment) return githubError(404, 'Not Found', STATUS_DOCS);
        const parsed = objectBody(req, STATUS_DOCS);
        if ('error' in parsed) return parsed.error;
        const { body } = parsed;
        if (body.state === undefined) return notSupplied('state', STATUS_DOCS);
        if (typeof body.state !== 'string' || !(STATES as readonly string[]).includes(body.state)) {
          return validationFailed(STATUS_DOCS, [
            {
              resource: 'DeploymentStatus',
              field: 'state',
              code: 'custom',
              message: 'state is not included in the list',
            },
          ]);
        }
        const description = str(body.description, '');
        if (description.length > 140) {
          return validationFailed(STATUS_DOCS, [
            {
              resource: 'DeploymentStatus',
              field: 'description',
              code: 'custom',
              message: 'description is too long (maximum is 140 characters)',
            },
          ]);
        }
        // log_url replaces target_url; setting it sets both
        const logUrl = str(body.log_url, str(body.target_url, ''));
        const status: FakeDeploymentStatus = {
          id: state.nextId(),
          state: body.state as FakeDeploymentStatus['state'],
          description,
          environment: str(body.environment, deployment.statuses.at(-1)?.environment ?? deployment.environment),
          targetUrl: logUrl,
          logUrl,
          environmentUrl: str(body.environment_url, ''),
          creator: req.user,
          createdAt: state.now(),
        };
        deployment.statuses.push(status);
        const json = deploymentStatusJson(state, repo, deployment, status);
        return { status: 201, body: json, headers: { location: String(json.url) } };
      },
    },
    {
      method: 'GET',
      pattern: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      docs: LIST_STATUS_DOCS,
      handle(req) {
        const repo = lookup(req, LIST_STATUS_DOCS);
        if ('status' in repo) return repo;
        const deployment = findDeployment(repo, req.params.deployment_id);
        if (!deployment) return githubError(404, 'Not Found', LIST_STATUS_DOCS);
        const all = [...deployment.statuses].reverse();
        const { page, headers } = paginate(all, req, `${state.apiUrl}${req.path}`);
        return { status: 200, body: page.map((s) => deploymentStatusJson(state, repo, deployment, s)), headers };
      },
    },
  ];
}
