import { ApiProblemError } from '@gantry/client';
import { GantryError } from '@gantry/core';
import { EXIT } from './io.js';
import { exitCodeOf } from './render-error.js';

/**
 * Codes the CLI answers with "invalid" (2) whatever their general category: asking to promote
 * into a phase whose source is read-only is a request that can never succeed, not one that
 * is blocked now (3) and not a remote failure (1). docs/cli.md lists it under exit code 2.
 */
const INVALID_REQUEST_CODES: ReadonlySet<string> = new Set(['phase_not_writable']);

/** The exit code of a command that failed with `e`, local or remote mode alike. */
export function exitCodeFor(e: unknown): number {
  if ((e instanceof GantryError || e instanceof ApiProblemError) && INVALID_REQUEST_CODES.has(e.code)) {
    return EXIT.invalid;
  }
  return exitCodeOf(e);
}
