/**
 * The request/response vocabulary of the GitHub fake: one route table, handlers that return
 * plain data, and GitHub's documented error bodies (`basic-error`, `validation-error`).
 */

/** `https://docs.github.com/rest/...` pages the fake cites in `documentation_url`, as GitHub does. */
export const DOCS = 'https://docs.github.com/rest';

export interface FakeUser {
  readonly login: string;
  readonly id: number;
}

export interface FakeRequest {
  readonly method: string;
  /** The path without query, as sent (percent-encoded parts decoded into `params`). */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body; `undefined` when there was none. */
  readonly body: unknown;
  /** Who the token belongs to. */
  readonly user: FakeUser;
}

export interface FakeResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** `/repos/{owner}/{repo}/statuses/{sha}`; `{name+}` matches across slashes (refs such as `feature/x`). */
  readonly pattern: string;
  /** The documentation page of this endpoint: GitHub's errors point at it. */
  readonly docs: string;
  handle(req: FakeRequest): Promise<FakeResponse> | FakeResponse;
}

interface CompiledRoute {
  readonly route: Route;
  readonly regex: RegExp;
  readonly names: readonly string[];
}

export function compileRoutes(routes: readonly Route[]): readonly CompiledRoute[] {
  return routes.map((route) => {
    const names: string[] = [];
    const source = route.pattern.replace(/[.*?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)(\+?)\}/g, (_, name, greedy) => {
      names.push(name);
      return greedy ? '(.+)' : '([^/]+)';
    });
    return { route, regex: new RegExp(`^${source}$`), names };
  });
}

export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | 'method-not-allowed' | undefined {
  let pathMatched = false;
  for (const c of routes) {
    const m = c.regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (c.route.method !== method) continue;
    const params: Record<string, string> = {};
    c.names.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { route: c.route, params };
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}

/** GitHub's `basic-error` body. */
export function githubError(
  status: number,
  message: string,
  docs: string,
  headers?: Record<string, string>,
): FakeResponse {
  return {
    status,
    body: { message, documentation_url: docs, status: String(status) },
    ...(headers ? { headers } : {}),
  };
}

export interface ValidationErrorItem {
  readonly resource: string;
  readonly field: string;
  readonly code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  readonly message?: string;
}

/** GitHub's `validation-error` body: 422 `Validation Failed` with one entry per field. */
export function validationFailed(docs: string, errors: readonly ValidationErrorItem[]): FakeResponse {
  return { status: 422, body: { message: 'Validation Failed', errors, documentation_url: docs, status: '422' } };
}

/** `per_page` (default 30, at most 100) and `page` (from 1), and the `Link` header GitHub sends. */
export function paginate<T>(
  items: readonly T[],
  req: FakeRequest,
  selfUrl: string,
): { page: readonly T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(req.query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => `<${selfUrl}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

/** A JSON body as an object, or the 400 `Problems parsing JSON` GitHub answers instead. */
export function objectBody(
  req: FakeRequest,
  docs: string,
): { readonly body: Record<string, unknown> } | { readonly error: FakeResponse } {
  if (req.body === undefined || req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    return { error: githubError(400, 'Problems parsing JSON', docs) };
  }
  return { body: req.body as Record<string, unknown> };
}

/** GitHub's answer to a request without a required body field. */
export function notSupplied(field: string, docs: string): FakeResponse {
  return githubError(422, `Invalid request.\n\n"${field}" wasn't supplied.`, docs);
}
