import type { ApiPromotion } from '@gantry/api';

/** The newest promotion of each phase, from a newest-first pipeline history. */
export function lastPromotionByPhase(history: readonly ApiPromotion[]): Map<string, ApiPromotion> {
  const out = new Map<string, ApiPromotion>();
  for (const p of history) if (!out.has(p.phase)) out.set(p.phase, p);
  return out;
}
