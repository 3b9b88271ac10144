import type { ApiPhaseStatus, ApiPipelineStatus, ApiPromotion } from '@gantry/api';

/** A phase's new status folded into a pipeline list; the same list when no pipeline holds that phase. */
export function applyPhaseStatus(
  list: readonly ApiPipelineStatus[],
  status: ApiPhaseStatus,
): readonly ApiPipelineStatus[] {
  const i = list.findIndex((p) => p.pipeline === status.pipeline);
  const p = list[i];
  if (!p) return list;
  const next = applyToPipeline(p, status);
  if (next === p) return list;
  const out = list.slice();
  out[i] = next;
  return out;
}

export function applyToPipeline(p: ApiPipelineStatus, status: ApiPhaseStatus): ApiPipelineStatus {
  const j = p.phases.findIndex((ph) => ph.phase === status.phase);
  if (j < 0) return p;
  const phases = p.phases.slice();
  phases[j] = status;
  return { ...p, phases };
}

/** A promotion event folded into a newest-first history: replaced by id, or added on top. */
export function upsertPromotion(items: readonly ApiPromotion[], p: ApiPromotion): readonly ApiPromotion[] {
  const i = items.findIndex((x) => x.id === p.id);
  if (i < 0) return [p, ...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  // events may arrive out of order: keep the most recent state
  const existing = items[i];
  if (existing && existing.updatedAt > p.updatedAt) return items;
  const out = items.slice();
  out[i] = p;
  return out;
}
