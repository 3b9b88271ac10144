import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GitLabRequest, GitLabResponse } from './merge-requests.js';
import { mergeRequestJson, mergeRequestRoutes, message, sourceSha } from './merge-requests.js';
import type { GitLabHook, GitLabMergeRequest, GitLabPipeline, GitLabProject, GitLabUser } from './state.js';
import { createGitLabState, mergeForReal } from './state.js';

export interface GitLabFakeOptions {
  /** Project path (`group/name`) -> a bare repository directory. */
  readonly projects?: Readonly<Record<string, string>>;
  /** Accepted tokens -> the username each authenticates (scope `api`). */
  readonly tokens?: Readonly<Record<string, string>>;
  readonly clock?: () => Date;
}

/** One request as the fake saw it. */
export interface GitLabRecordedRequest {
  readonly method: string;
  /** Decoded path under `/api/v4`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly status: number;
}

export interface GitLabFault {
  readonly status: number;
  readonly times?: number;
  /** Seconds, sent as `Retry-After`. */
  readonly retryAfter?: number;
  readonly method?: string;
  readonly path?: string | RegExp;
}

export interface GitLabHookDelivery {
  readonly event: string;
  readonly action: string;
  readonly iid: number;
  readonly status: number;
}

export interface GitLabFake {
  /** `http://127.0.0.1:<port>/api/v4`: the API base URL. */
  readonly url: string;
  addProject(path: string, dir: string): void;
  /** A token of `username`; `scopes` (default `['api']`) as a personal access token has them. */
  addToken(token: string, username: string, scopes?: readonly string[]): void;
  requests(): readonly GitLabRecordedRequest[];
  failNext(fault: GitLabFault): void;
  mergeRequests(path: string): readonly GitLabMergeRequest[];
  /** Sends the project's merge request events to `url` with `X-Gitlab-Token: token`, as a project hook. */
  addWebhook(path: string, hook: GitLabHook): void;
  deliveries(): readonly GitLabHookDelivery[];
  /**
   * CI reports a pipeline for `sha` (as a runner would). A success merges the merge requests
   * set to merge when the pipeline succeeds whose head it is.
   */
  setPipeline(path: string, sha: string, status: GitLabPipeline['status']): Promise<void>;
  /** A person merges in the web UI: a real merge commit, then the `merge` event. */
  merge(path: string, iid: number, by?: string): Promise<string>;
  /** A person closes it unmerged. */
  close(path: string, iid: number, by?: string): Promise<void>;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A GitLab REST API v4 on a free 127.0.0.1 port, for the endpoints Gantry calls: merge requests
 * (list, create, get with ETags, update/close, merge, merge when pipeline succeeds), notes and
 * user lookup, over real bare repositories. Tokens come as `PRIVATE-TOKEN` or
 * `Authorization: Bearer`; errors have GitLab's shapes (401, 403 `insufficient_scope`, 404, 405,
 * 406, 409, 429 with `Retry-After`). Project hooks get merge request events with `X-Gitlab-Token`.
 */
export async function startGitLabFake(options: GitLabFakeOptions = {}): Promise<GitLabFake> {
  const state = createGitLabState(options.clock ?? (() => new Date()));
  const recorded: GitLabRecordedRequest[] = [];
  const faults: { fault: GitLabFault; left: number }[] = [];
  const delivered: GitLabHookDelivery[] = [];

  const addProject = (path: string, dir: string) => {
    state.projects.set(path.toLowerCase(), {
      id: state.nextId(),
      path,
      dir,
      mergeRequests: [],
      pipelines: [],
      hooks: [],
      nextIid: 1,
    });
  };
  const addToken = (token: string, username: string, scopes: readonly string[] = ['api']) => {
    state.tokens.set(token, { user: state.user(username), scopes });
  };
  for (const [p, d] of Object.entries(options.projects ?? {})) addProject(p, d);
  for (const [t, u] of Object.entries(options.tokens ?? {})) addToken(t, u);

  /** The `merge_request` event as GitLab documents its payload, POSTed to every hook; awaited. */
  const events = async (project: GitLabProject, mr: GitLabMergeRequest, action: string, by: GitLabUser) => {
    if (project.hooks.length === 0) return;
    const json = await mergeRequestJson(state, project, mr);
    const sha = await sourceSha(project, mr);
    const body = JSON.stringify({
      object_kind: 'merge_request',
      event_type: 'merge_request',
      user: { id: by.id, username: by.username, name: by.username },
      project: {
        id: project.id,
        name: project.path.split('/').at(-1),
        path_with_namespace: project.path,
        web_url: `${state.webUrl}/${project.path}`,
        default_branch: 'main',
      },
      object_attributes: {
        id: mr.id,
        iid: mr.iid,
        title: mr.title,
        description: mr.description,
        state: mr.state,
        action,
        source_branch: mr.sourceBranch,
        target_branch: mr.targetBranch,
        merge_commit_sha: mr.mergeCommitSha,
        merge_when_pipeline_succeeds: mr.autoMerge !== null,
        url: json.web_url,
        last_commit: sha ? { id: sha } : null,
        created_at: mr.createdAt,
        updated_at: mr.updatedAt,
      },
      labels: mr.labels.map((title) => ({ title })),
      repository: { name: project.path.split('/').at(-1), homepage: `${state.webUrl}/${project.path}` },
    });
    for (const hook of project.hooks) {
      let status = 0;
      try {
        const res = await fetch(hook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'GitLab/fake',
            'x-gitlab-event': 'Merge Request Hook',
            'x-gitlab-token': hook.token,
            'x-gitlab-event-uuid': randomUUID(),
            'x-gitlab-instance': state.webUrl,
          },
          body,
        });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        status = 0;
      }
      delivered.push({ event: 'merge_request', action, iid: mr.iid, status });
    }
  };
  const mrs = mergeRequestRoutes(state, events);

  const projectOf = (id: string): GitLabProject | undefined =>
    state.projects.get(id.toLowerCase()) ?? [...state.projects.values()].find((p) => String(p.id) === id);

  const route = async (
    method: string,
    path: string,
    query: URLSearchParams,
    headers: Record<string, string>,
    body: Record<string, unknown>,
    user: GitLabUser,
  ): Promise<GitLabResponse> => {
    if (method === 'GET' && path === '/users') {
      const name = query.get('username');
      const users = [...state.users.values()].filter((u) => !name || u.username.toLowerCase() === name.toLowerCase());
      return { status: 200, body: users.map((u) => ({ id: u.id, username: u.username, name: u.username })) };
    }
    // the project id is its numeric id or its URL-encoded path (decoded here as one segment)
    const m = /^\/projects\/([^/]+)\/merge_requests(?:\/(\d+)(\/merge|\/notes)?)?$/.exec(path);
    if (!m) return message(404, '404 Not Found');
    const project = projectOf(decodeURIComponent(m[1] ?? ''));
    if (!project) return message(404, '404 Project Not Found');
    const req: GitLabRequest = { method, params: { iid: m[2] ?? '' }, query, headers, body, user };
    const [, , iid, tail] = m;
    if (!iid)
      return method === 'GET'
        ? mrs.list(project, req)
        : method === 'POST'
          ? mrs.create(project, req)
          : message(405, '405 Method Not Allowed');
    if (tail === '/merge') return method === 'PUT' ? mrs.merge(project, req) : message(405, '405 Method Not Allowed');
    if (tail === '/notes')
      return method === 'POST'
        ? mrs.addNote(project, req)
        : method === 'GET'
          ? mrs.listNotes(project, req)
          : message(405, '405 Method Not Allowed');
    return method === 'GET'
      ? mrs.get(project, req)
      : method === 'PUT'
        ? mrs.update(project, req)
        : message(405, '405 Method Not Allowed');
  };

  const answer = async (
    method: string,
    rawPath: string,
    query: URLSearchParams,
    headers: Record<string, string>,
    text: string,
  ): Promise<{ res: GitLabResponse; body: unknown }> => {
    const token = headers['private-token'] ?? /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
    const who = token ? state.tokens.get(token) : undefined;
    if (!who) return { res: message(401, '401 Unauthorized'), body: text };
    if (!who.scopes.includes('api') && !(method === 'GET' && who.scopes.includes('read_api')))
      return {
        res: {
          status: 403,
          body: {
            error: 'insufficient_scope',
            error_description: 'The request requires higher privileges than provided by the access token.',
            scope: 'api',
          },
        },
        body: text,
      };
    let body: Record<string, unknown> = {};
    if (text.length > 0) {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return { res: { status: 400, body: { error: 'Invalid JSON' } }, body: text };
      }
    }
    const i = faults.findIndex(
      ({ fault: f }) =>
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.path || (typeof f.path === 'string' ? rawPath.includes(f.path) : f.path.test(rawPath))),
    );
    const entry = faults[i];
    if (entry) {
      if (--entry.left <= 0) faults.splice(i, 1);
      const f = entry.fault;
      return {
        res: {
          status: f.status,
          body: f.status === 429 ? 'Retry later' : { message: `${f.status} error` },
          headers: f.retryAfter !== undefined ? { 'retry-after': String(f.retryAfter) } : {},
        },
        body,
      };
    }
    return { res: await route(method, rawPath, query, headers, body, who.user), body };
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      // the raw path keeps %2F in a project path together as one segment
      const raw = (req.url ?? '/').split('?')[0] ?? '/';
      const path = raw.startsWith('/api/v4/') ? raw.slice('/api/v4'.length) : raw;
      let out: { res: GitLabResponse; body: unknown };
      try {
        out = await answer(method, path, url.searchParams, headers, await readBody(req));
      } catch (e) {
        out = { res: message(500, `fake: ${e instanceof Error ? e.message : String(e)}`), body: undefined };
      }
      recorded.push({
        method,
        path: decodeURIComponent(path),
        query: Object.fromEntries(url.searchParams),
        headers,
        body: out.body,
        status: out.res.status,
      });
      res.writeHead(out.res.status, {
        'content-type': 'application/json',
        'x-request-id': randomUUID(),
        ...out.res.headers,
      });
      res.end(
        out.res.body === undefined
          ? ''
          : typeof out.res.body === 'string'
            ? out.res.body
            : JSON.stringify(out.res.body),
      );
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  state.apiUrl = `http://127.0.0.1:${port}/api/v4`;

  const projectNamed = (path: string) => {
    const p = state.projects.get(path.toLowerCase());
    if (!p) throw new Error(`the GitLab fake has no project "${path}"`);
    return p;
  };
  const mrOf = (path: string, iid: number) => {
    const mr = projectNamed(path).mergeRequests.find((m) => m.iid === iid);
    if (!mr) throw new Error(`${path} has no merge request !${iid}`);
    return mr;
  };

  return {
    url: state.apiUrl,
    addProject,
    addToken,
    requests: () => [...recorded],
    failNext: (fault) => {
      faults.push({ fault, left: fault.times ?? 1 });
    },
    mergeRequests: (path) => [...projectNamed(path).mergeRequests],
    addWebhook: (path, hook) => {
      projectNamed(path).hooks.push(hook);
    },
    deliveries: () => [...delivered],
    async setPipeline(path, sha, status) {
      const project = projectNamed(path);
      project.pipelines.push({ id: state.nextId(), sha, status });
      if (status !== 'success') return;
      for (const mr of project.mergeRequests) {
        if (mr.state !== 'opened' || !mr.autoMerge || (await sourceSha(project, mr)) !== sha) continue;
        const by = mr.autoMerge.by;
        const merged = await mergeForReal(state, project, mr, by, { squash: mr.autoMerge.squash });
        if (merged.ok) await events(project, mr, 'merge', by);
      }
    },
    async merge(path, iid, by = 'reviewer') {
      const project = projectNamed(path);
      const mr = mrOf(path, iid);
      const who = state.user(by);
      const merged = await mergeForReal(state, project, mr, who);
      if (!merged.ok) throw new Error(`the fake could not merge !${iid}: ${merged.message}`);
      await events(project, mr, 'merge', who);
      return merged.sha;
    },
    async close(path, iid, by = 'reviewer') {
      const project = projectNamed(path);
      const mr = mrOf(path, iid);
      if (mr.state !== 'opened') throw new Error(`!${iid} is not open`);
      Object.assign(mr, { state: 'closed', closedAt: state.now(), closedSha: await sourceSha(project, mr) });
      await events(project, mr, 'close', state.user(by));
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
