import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deploymentRoutes } from './deployments.js';
import type { FakeRequest, FakeResponse, FakeUser, Route } from './http.js';
import { compileRoutes, DOCS, githubError, matchRoute } from './http.js';
import type { FakeCommitStatus, FakeDeployment, FakePull, FakeRepository, FakeWebhook } from './state.js';
import { createFakeState, repoKey, repositoryJson, resolveCommit, userJson } from './state.js';
import type { PullEventSink } from './pulls.js';
import { mergePull, missingChecks, pullJson, pullRoutes } from './pulls.js';
import { graphqlRoutes } from './graphql.js';
import type { FakeGitHubApp, FakeInstallationToken } from './apps.js';
import { fakeApps } from './apps.js';
import type { RepoLookup } from './statuses.js';
import { statusRoutes } from './statuses.js';
import type { CheckRunInput } from './checks.js';
import { checkRoutes, checkRunBody, createCheckRun } from './checks.js';
import type { FakeCheckRun } from './state.js';

export interface GitHubFakeOptions {
  /** `owner/name` -> a bare repository directory (e.g. from `createBareRepo`). */
  readonly repositories?: Readonly<Record<string, string>>;
  /** Accepted tokens -> the login of the user each authenticates. */
  readonly tokens?: Readonly<Record<string, string>>;
  /** Timestamps in `created_at`; the system clock by default. */
  readonly clock?: () => Date;
}

/** One request as the fake saw it, for assertions. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** What the fake answered. */
  readonly status: number;
  readonly response: unknown;
}

/** Makes the next matching requests fail, as GitHub does when it is down or rate limiting. */
export interface GitHubFault {
  /** 429 and 403 carry GitHub's rate-limit body; others `Server Error`-style bodies. */
  readonly status: number;
  /** How many requests fail (1). */
  readonly times?: number;
  /** Seconds, sent as `Retry-After`. */
  readonly retryAfter?: number;
  readonly method?: string;
  /** Matches the request path (a substring or a regular expression). */
  readonly path?: string | RegExp;
}

export interface GitHubFake {
  /** `http://127.0.0.1:<port>`: Octokit's `baseUrl`. */
  readonly url: string;
  /** The same API under `/api/v3`, as GitHub Enterprise Server serves it. */
  readonly enterpriseUrl: string;
  addRepository(fullName: string, dir: string): void;
  addToken(token: string, login: string): void;
  /** A GitHub App whose JWTs mint installation tokens (`POST /app/installations/{id}/access_tokens`). */
  addApp(app: FakeGitHubApp): void;
  /** Installation tokens minted so far, oldest first. */
  installationTokens(): readonly FakeInstallationToken[];
  /** Every request so far, oldest first (faults and auth failures included). */
  requests(): readonly RecordedRequest[];
  /**
   * CI reports a check run on `sha` (as `POST /check-runs` does; a re-run is a new run with the
   * same name, and the list endpoint shows the newest per name). Pull requests with auto-merge
   * whose head is `sha` merge if that made their required checks pass.
   */
  addCheckRun(fullName: string, sha: string, run: CheckRunInput): Promise<FakeCheckRun>;
  /** Check runs of a repository, oldest first; only those on `sha` when given. */
  checkRuns(fullName: string, sha?: string): readonly FakeCheckRun[];
  /** Commit statuses of a repository, oldest first; only those on `sha` when given. */
  statuses(fullName: string, sha?: string): readonly FakeCommitStatus[];
  deployments(fullName: string): readonly FakeDeployment[];
  failNext(fault: GitHubFault): void;
  /** Pull requests of a repository, oldest first. */
  pulls(fullName: string): readonly FakePull[];
  /** Sends the repository's `pull_request` events to `url`, signed with `secret`, as a repository webhook does. */
  addWebhook(fullName: string, hook: FakeWebhook): void;
  /** Every webhook delivery so far (event, action, status of the receiver's answer). */
  deliveries(): readonly WebhookDelivery[];
  /**
   * A person merges a pull request in the web UI: a real merge commit on the base branch, then
   * the `closed` (merged) event to the webhooks. Returns the merge commit.
   */
  merge(fullName: string, number: number, by?: string): Promise<string>;
  /** A person closes a pull request unmerged. */
  close(fullName: string, number: number, by?: string): Promise<void>;
  /** Branch protection: the status contexts that must be `success` on a pull request's head before it merges. */
  setRequiredChecks(fullName: string, branch: string, contexts: readonly string[]): void;
  stop(): Promise<void>;
}

/** One webhook delivery of the fake. */
export interface WebhookDelivery {
  readonly id: string;
  readonly event: string;
  readonly action: string;
  readonly number: number;
  readonly url: string;
  /** The receiver's HTTP status (0: it could not be reached). */
  readonly status: number;
}

const ERROR_MESSAGES: Record<number, string> = {
  403: 'API rate limit exceeded',
  429: 'API rate limit exceeded',
  500: 'Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * A GitHub REST API on a free 127.0.0.1 port, speaking the documented request and response
 * shapes (`basic-error`, `validation-error`, `status`, `combined-commit-status`, `deployment`,
 * `deployment-status`) over real bare repositories: a commit exists when `git cat-file -e`
 * says so. Tokens are checked (`Authorization: Bearer|token <t>`); every request is recorded.
 * Endpoints live one module per area (statuses, deployments; pull requests next) and share
 * one state.
 */
export async function startGitHubFake(options: GitHubFakeOptions = {}): Promise<GitHubFake> {
  const clock = options.clock ?? (() => new Date());
  const state = createFakeState(clock);
  const apps = fakeApps(
    () => clock().getTime(),
    (login) => state.user(login),
  );
  const recorded: RecordedRequest[] = [];
  const faults: { fault: GitHubFault; left: number }[] = [];

  const addRepository = (fullName: string, dir: string): void => {
    const [owner, name, ...rest] = fullName.split('/');
    if (!owner || !name || rest.length > 0) throw new Error(`repository "${fullName}" is not owner/name`);
    const repo: FakeRepository = {
      id: state.nextId(),
      owner: state.user(owner),
      name,
      fullName,
      dir,
      statuses: [],
      checkRuns: [],
      deployments: [],
      pulls: [],
      nextNumber: 1,
      webhooks: [],
      requiredChecks: new Map(),
    };
    state.repositories.set(repoKey(owner, name), repo);
  };
  const addToken = (token: string, login: string): void => {
    state.usersByToken.set(token, state.user(login));
  };
  for (const [fullName, dir] of Object.entries(options.repositories ?? {})) addRepository(fullName, dir);
  for (const [token, login] of Object.entries(options.tokens ?? {})) addToken(token, login);

  const lookup: RepoLookup = (req, docs) =>
    state.repositories.get(repoKey(req.params.owner ?? '', req.params.repo ?? '')) ??
    githubError(404, 'Not Found', docs);
  const delivered: WebhookDelivery[] = [];
  /** The `pull_request` event (as GitHub documents its payload), signed per hook and POSTed; awaited. */
  const pullEvent: PullEventSink = async (repo, pull, action, sender) => {
    if (repo.webhooks.length === 0) return;
    const body = JSON.stringify({
      action,
      number: pull.number,
      pull_request: await pullJson(state, repo, pull),
      repository: repositoryJson(state, repo),
      sender: userJson(state, sender),
    });
    for (const hook of repo.webhooks) {
      const id = randomUUID();
      let status = 0;
      try {
        const res = await fetch(hook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'GitHub-Hookshot/fake',
            'x-github-event': 'pull_request',
            'x-github-delivery': id,
            'x-github-hook-id': '1',
            'x-hub-signature-256': `sha256=${createHmac('sha256', hook.secret).update(body).digest('hex')}`,
          },
          body,
        });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        status = 0;
      }
      delivered.push({ id, event: 'pull_request', action, number: pull.number, url: hook.url, status });
    }
  };
  /** Merges the auto-merge pull requests whose head is `sha` once their base's required checks pass. */
  const autoMerge = async (repo: FakeRepository, sha?: string) => {
    for (const pull of repo.pulls) {
      if (pull.state !== 'open' || !pull.autoMerge) continue;
      const head = await resolveCommit(repo, `refs/heads/${pull.head}`);
      if (!head || (sha !== undefined && head !== sha) || missingChecks(repo, pull.base, head)) continue;
      const by = pull.autoMerge.by;
      const method = pull.autoMerge.method.toLowerCase() as 'merge' | 'squash' | 'rebase';
      const merged = await mergePull(state, repo, pull, by, { method });
      if (merged.ok) await pullEvent(repo, pull, 'closed', by);
    }
  };
  const clean = async (repo: FakeRepository, pull: FakePull) => {
    const head = await resolveCommit(repo, `refs/heads/${pull.head}`);
    return head !== undefined && missingChecks(repo, pull.base, head) === undefined;
  };
  const routes = compileRoutes([
    ...graphqlRoutes(state, clean, (repo, pull) => autoMerge(repo, undefined).then(() => undefined)),
    ...statusRoutes(state, lookup, autoMerge),
    ...checkRoutes(state, lookup, autoMerge),
    ...deploymentRoutes(state, lookup),
    ...pullRoutes(state, lookup, pullEvent),
  ] satisfies Route[]);

  const authenticate = (headers: Record<string, string>): FakeUser | FakeResponse => {
    const header = headers.authorization;
    if (!header) return githubError(401, 'Requires authentication', DOCS);
    const m = /^(?:bearer|token)\s+(\S+)$/i.exec(header.trim());
    const user = m?.[1] ? (state.usersByToken.get(m[1]) ?? apps.userOf(m[1])) : undefined;
    return user ?? githubError(401, 'Bad credentials', DOCS);
  };

  const takeFault = (method: string, path: string): GitHubFault | undefined => {
    const i = faults.findIndex(
      ({ fault }) =>
        (!fault.method || fault.method.toUpperCase() === method) &&
        (!fault.path || (typeof fault.path === 'string' ? path.includes(fault.path) : fault.path.test(path))),
    );
    const entry = faults[i];
    if (!entry) return undefined;
    if (--entry.left <= 0) faults.splice(i, 1);
    return entry.fault;
  };

  const answer = async (
    method: string,
    path: string,
    query: URLSearchParams,
    headers: Record<string, string>,
    text: string,
  ): Promise<{ res: FakeResponse; body: unknown }> => {
    // the App's own endpoint takes its JWT, not a token
    const minted = apps.handle(method, path, headers);
    if (minted) return { res: minted, body: text };
    // as GitHub: who is asking first, then whether the body parses
    const user = authenticate(headers);
    if ('status' in user) return { res: user, body: text };
    let body: unknown;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        return { res: githubError(400, 'Problems parsing JSON', DOCS), body: text };
      }
    }
    const fault = takeFault(method, path);
    if (fault) {
      const extra: Record<string, string> = {};
      if (fault.retryAfter !== undefined) extra['retry-after'] = String(fault.retryAfter);
      if (fault.status === 403 || fault.status === 429) extra['x-ratelimit-remaining'] = '0';
      const message =
        fault.status === 403 || fault.status === 429
          ? `API rate limit exceeded for user ID ${user.id}.`
          : (ERROR_MESSAGES[fault.status] ?? 'Error');
      return { res: githubError(fault.status, message, `${DOCS}/overview/rate-limits-for-the-rest-api`, extra), body };
    }
    const match = matchRoute(routes, method, path);
    if (match === undefined || match === 'method-not-allowed')
      return { res: githubError(404, 'Not Found', DOCS), body };
    const req: FakeRequest = { method, path, params: match.params, query, headers, body, user };
    return { res: await match.route.handle(req), body };
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname.startsWith('/api/v3/')) url.pathname = url.pathname.slice('/api/v3'.length);
      // GitHub Enterprise Server serves GraphQL at /api/graphql
      if (url.pathname === '/api/graphql') url.pathname = '/graphql';
      const method = (req.method ?? 'GET').toUpperCase();
      const headers = headerRecord(req);
      let out: { res: FakeResponse; body: unknown };
      try {
        out = await answer(method, url.pathname, url.searchParams, headers, await readBody(req));
      } catch (e) {
        out = { res: githubError(500, `fake: ${e instanceof Error ? e.message : String(e)}`, DOCS), body: undefined };
      }
      recorded.push({
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: out.body,
        status: out.res.status,
        response: out.res.body,
      });
      res.writeHead(out.res.status, {
        'content-type': 'application/json; charset=utf-8',
        'x-github-request-id': randomUUID(),
        'x-github-api-version-selected': '2022-11-28',
        ...out.res.headers,
      });
      res.end(out.res.body === undefined ? '' : JSON.stringify(out.res.body));
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  state.apiUrl = `http://127.0.0.1:${port}`;

  const repoOf = (fullName: string): FakeRepository => {
    const [owner = '', name = ''] = fullName.split('/');
    const repo = state.repositories.get(repoKey(owner, name));
    if (!repo) throw new Error(`the GitHub fake has no repository "${fullName}"`);
    return repo;
  };

  const pullNumbered = (repo: FakeRepository, number: number): FakePull => {
    const pull = repo.pulls.find((p) => p.number === number);
    if (!pull) throw new Error(`${repo.fullName} has no pull request #${number}`);
    return pull;
  };

  return {
    url: state.apiUrl,
    enterpriseUrl: `${state.apiUrl}/api/v3`,
    addRepository,
    addToken,
    addApp: (app) => apps.addApp(app),
    installationTokens: () => apps.minted(),
    requests: () => [...recorded],
    async addCheckRun(fullName, sha, input) {
      const repo = repoOf(fullName);
      const run = await createCheckRun(state, repo, sha, checkRunBody(input), state.user('ci-app[bot]'));
      if (!('headSha' in run)) throw new Error(`the fake refused the check run: ${JSON.stringify(run.body)}`);
      await autoMerge(repo, run.headSha);
      return run;
    },
    checkRuns: (fullName, sha) => repoOf(fullName).checkRuns.filter((r) => sha === undefined || r.headSha === sha),
    statuses: (fullName, sha) => repoOf(fullName).statuses.filter((s) => sha === undefined || s.sha === sha),
    deployments: (fullName) => [...repoOf(fullName).deployments],
    failNext: (fault) => {
      faults.push({ fault, left: fault.times ?? 1 });
    },
    pulls: (fullName) => [...repoOf(fullName).pulls],
    addWebhook: (fullName, hook) => {
      repoOf(fullName).webhooks.push(hook);
    },
    deliveries: () => [...delivered],
    async merge(fullName, number, by = 'reviewer') {
      const repo = repoOf(fullName);
      const pull = pullNumbered(repo, number);
      const who = state.user(by);
      const merged = await mergePull(state, repo, pull, who);
      if (!merged.ok) throw new Error(`the fake could not merge #${number}: ${merged.message}`);
      await pullEvent(repo, pull, 'closed', who);
      return merged.sha;
    },
    async close(fullName, number, by = 'reviewer') {
      const repo = repoOf(fullName);
      const pull = pullNumbered(repo, number);
      if (pull.state !== 'open') throw new Error(`#${number} is not open`);
      const at = state.now();
      Object.assign(pull, { state: 'closed', closedAt: at, updatedAt: at });
      await pullEvent(repo, pull, 'closed', state.user(by));
    },
    setRequiredChecks(fullName, branch, contexts) {
      repoOf(fullName).requiredChecks.set(branch, [...contexts]);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
