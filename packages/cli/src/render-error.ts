import { ApiProblemError, ApiUnreachableError } from '@gantry/client';
import type { ErrorCategory } from '@gantry/core';
import { categoryOf, GantryError, isErrorCode } from '@gantry/core';
import pc from 'picocolors';
import { EXIT } from './io.js';

/**
 * The exit code of each error category (docs/cli.md): the same categories the API's
 * statuses come from, so local and remote mode exit alike.
 */
const EXIT_OF_CATEGORY: Readonly<Record<ErrorCategory, number>> = {
  invalid: EXIT.invalid,
  not_found: EXIT.invalid,
  unauthorized: EXIT.invalid,
  forbidden: EXIT.invalid,
  too_large: EXIT.invalid,
  unsupported_media_type: EXIT.invalid,
  misconfigured: EXIT.invalid,
  conflict: EXIT.blocked,
  upstream_failed: EXIT.failed,
  unavailable: EXIT.failed,
  timeout: EXIT.failed,
  internal: EXIT.failed,
};

/** A server's problem: by its code when this CLI knows it, else by its status. */
function categoryOfProblem(e: ApiProblemError): ErrorCategory {
  if (isErrorCode(e.code)) return categoryOf(e.code);
  if (e.status === 409) return 'conflict';
  return e.status >= 400 && e.status < 500 ? 'invalid' : 'upstream_failed';
}

export function exitCodeOf(e: unknown): number {
  if (e instanceof GantryError) return EXIT_OF_CATEGORY[e.category];
  if (e instanceof ApiProblemError) return EXIT_OF_CATEGORY[categoryOfProblem(e)];
  if (e instanceof ApiUnreachableError) return EXIT.failed;
  return EXIT.failed;
}

/** The one place errors become text for people. */
export function renderError(e: unknown, color: boolean): string {
  const c = color ? pc : pc.createColors(false);
  if (e instanceof GantryError || e instanceof ApiProblemError || e instanceof ApiUnreachableError) {
    return `${c.red('error')} ${c.dim(`[${e.code}]`)} ${e.message}\n`;
  }
  const err = e as Error;
  return `${c.red('error')} ${c.dim('[internal]')} ${err?.stack ?? String(e)}\n`;
}

/** For --json: errors as data, with the same code. */
export function errorJson(e: unknown): string {
  if (e instanceof GantryError) {
    return `${JSON.stringify({ error: { code: e.code, message: e.message, ...e.context } }, null, 2)}\n`;
  }
  if (e instanceof ApiProblemError)
    return `${JSON.stringify({ error: { ...e.problem, message: e.message } }, null, 2)}\n`;
  return `${JSON.stringify({ error: { code: 'internal', message: String((e as Error)?.message ?? e) } })}\n`;
}
