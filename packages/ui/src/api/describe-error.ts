import { ApiProblemError, ApiUnreachableError } from '@gantry/client';

/** An error as the page shows it: what happened and what to do about it. */
export interface ErrorView {
  readonly title: string;
  readonly detail: string;
  readonly hint: string;
  readonly status?: number;
}

export function describeError(e: unknown): ErrorView {
  if (e instanceof ApiUnreachableError) {
    return {
      title: 'The Gantry server does not answer',
      detail: e.message,
      hint: 'Check that `gantry serve` is running and reachable, then retry.',
    };
  }
  if (e instanceof ApiProblemError) {
    const known = e.problem.known?.length ? ` Known: ${e.problem.known.join(', ')}.` : '';
    const hints: Record<number, string> = {
      401: 'Sign in with an API token (`gantry token create`).',
      403: 'Ask an admin for a token with a higher role.',
      404: `Check the name in the address.${known}`,
      409: 'Resolve what blocks it (see the detail), then retry.',
      502: 'The registry or Git remote did not answer; retry, or check the server log.',
      503: 'The server is starting; retry in a few seconds.',
    };
    return {
      title: e.problem.title,
      detail: e.problem.detail,
      hint: hints[e.status] ?? 'Retry; if it persists, check the server log.',
      status: e.status,
    };
  }
  return {
    title: 'Something went wrong',
    detail: e instanceof Error ? e.message : String(e),
    hint: 'Reload the page; if it persists, check the browser console and the server log.',
  };
}
