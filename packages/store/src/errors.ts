import { GantryError } from '@gantry/core';
import type { PromotionState } from './promotion-state.js';

/** The database cannot be opened or reached. The message carries the masked location and the cause. */
export class StoreUnreachableError extends GantryError {
  /** `secret` (the password) is scrubbed from the cause's message should a driver echo it. */
  constructor(location: string, cause: unknown, secret?: string) {
    const reason = secret ? causeMessage(cause).split(secret).join('***') : causeMessage(cause);
    super('store_unreachable', `cannot reach the database at ${location}: ${reason}`, { location, reason }, { cause });
  }
}

/** A promotion was asked to move to a state its current state does not lead to. */
export class IllegalTransitionError extends GantryError {
  constructor(id: string, from: PromotionState, to: PromotionState) {
    super('illegal_transition', `promotion ${id} cannot go from ${from} to ${to}`, { id, from, to });
  }
}

/**
 * A transition made on behalf of one claim of a promotion after it was claimed again: the
 * newer claim's worker owns it now, so the older one's view is dropped, not written.
 */
export class StaleClaimError extends GantryError {
  constructor(id: string, attempt: number, current: number) {
    super(
      'stale_claim',
      `promotion ${id} was claimed again (attempt ${current}) since attempt ${attempt}; that attempt's transition is dropped`,
      { id, attempt, current },
    );
  }
}

/** No promotion has that id. */
export class PromotionNotFoundError extends GantryError {
  constructor(id: string) {
    super('unknown_promotion', `unknown promotion "${id}"`, { id });
  }
}

/** A pagination cursor that this store did not hand out. */
export class InvalidCursorError extends GantryError {
  constructor(cursor: string) {
    super('invalid_cursor', `invalid pagination cursor "${cursor.slice(0, 64)}"`, { cursor: cursor.slice(0, 64) });
  }
}

/** Node reports a refused dual-stack connect as an AggregateError with an empty message. */
export function causeMessage(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0) {
    return cause.errors.map(causeMessage).join('; ');
  }
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    const message = cause.message || (typeof code === 'string' ? code : cause.name);
    return message;
  }
  return String(cause);
}
