import { GantryError } from '@gantry/core';

/**
 * A check (or a phase's checks) stopped by its AbortSignal, e.g. on shutdown. Not a
 * verdict: nothing was decided, so a caller records no result and runs it again later.
 * Thrown only after the check's processes and requests have been stopped.
 */
export class CheckCancelledError extends GantryError {
  constructor(name: string | undefined, reason: unknown) {
    super(
      'check_cancelled',
      name ? `check "${name}" was cancelled` : 'checks were cancelled',
      {
        ...(name ? { check: name } : {}),
      },
      { cause: reason },
    );
  }
}
