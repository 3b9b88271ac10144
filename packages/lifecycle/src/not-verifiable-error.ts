import { GantryError } from '@gantry/core';

/**
 * Verification cannot be re-run for this promotion now: it has not succeeded, its phase
 * proves nothing (no deployer, no checks), or its deployer has not reported it healthy yet
 * (verification starts by itself when it does).
 */
export class NotVerifiableError extends GantryError {
  constructor(id: string, message: string, context: Record<string, unknown> = {}) {
    super('not_verifiable', message, { ...context, promotion: id });
  }
}
