import { ApiProblemError, ApiUnreachableError } from '@gantry/client';
import { GantryError, NotFoundError, PromotionBlockedError, ValidationError } from '@gantry/core';
import pc from 'picocolors';
import { EXIT } from './io.js';

const INVALID_CODES = new Set(['config_not_found', 'config_load_failed', 'usage']);

export function exitCodeOf(e: unknown): number {
  if (e instanceof ApiProblemError) {
    if (e.status === 409) return EXIT.blocked;
    return e.status >= 400 && e.status < 500 ? EXIT.invalid : EXIT.failed;
  }
  if (e instanceof ValidationError || e instanceof NotFoundError) return EXIT.invalid;
  if (e instanceof PromotionBlockedError) return EXIT.blocked;
  if (e instanceof GantryError && INVALID_CODES.has(e.code)) return EXIT.invalid;
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
