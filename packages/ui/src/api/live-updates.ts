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

/**
 * Many phase statuses folded into a pipeline list at once (a fleet's reconcile sends thousands):
 * the list is copied once, not once per status; the same list when none changes it.
 */
export function applyPhaseStatuses(
  list: readonly ApiPipelineStatus[],
  statuses: readonly ApiPhaseStatus[],
): readonly ApiPipelineStatus[] {
  if (statuses.length === 1 && statuses[0]) return applyPhaseStatus(list, statuses[0]);
  const at = new Map(list.map((p, i) => [p.pipeline, i]));
  let out: ApiPipelineStatus[] | undefined;
  for (const status of statuses) {
    const i = at.get(status.pipeline);
    const p = i === undefined ? undefined : (out ?? list)[i];
    if (i === undefined || !p) continue;
    const next = applyToPipeline(p, status);
    if (next === p) continue;
    out ??= list.slice();
    out[i] = next;
  }
  return out ?? list;
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
