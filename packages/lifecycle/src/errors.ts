import { GantryError } from '@gantry/core';

/** Someone else moved the promotion first (another survivor's recovery, or a newer claim): ours is dropped. */
export const lostRace = (e: unknown): boolean =>
  e instanceof GantryError && (e.code === 'illegal_transition' || e.code === 'stale_claim');

/** An error as a promotion records it. */
export const errorOf = (e: unknown): { code: string; message: string } =>
  e instanceof GantryError
    ? { code: e.code, message: e.message }
    : { code: 'internal', message: String((e as Error)?.message ?? e) };
