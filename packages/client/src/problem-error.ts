import type { ApiProblem } from '@gantry/api';

/** An API error (problem+json) as the client sees it: the server's stable code, status and detail. */
export class ApiProblemError extends Error {
  readonly code: string;
  readonly status: number;
  readonly problem: ApiProblem;
  constructor(problem: ApiProblem) {
    super(problem.detail);
    this.name = 'ApiProblemError';
    this.code = problem.code;
    this.status = problem.status;
    this.problem = problem;
  }
}

/** The server could not be reached at all. */
export class ApiUnreachableError extends Error {
  readonly code = 'server_unreachable';
  constructor(url: string, cause: unknown) {
    super(`cannot reach the Gantry server at ${url}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'ApiUnreachableError';
  }
}
