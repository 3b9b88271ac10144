import type { ApiPipelineStatus } from '@gantry/api';
import { arrivedAt } from '../../shared/format.js';

/** How the overview orders its rows. */
export const SORTS = ['name', 'state', 'change'] as const;
export type PipelineSort = (typeof SORTS)[number];

export const SORT_LABELS: Readonly<Record<PipelineSort, string>> = {
  name: 'name',
  state: 'state (needs attention first)',
  change: 'last change (newest first)',
};

export const parseSort = (s: string | null | undefined): PipelineSort =>
  (SORTS as readonly string[]).includes(s ?? '') ? (s as PipelineSort) : 'name';

/** Worst first: an error, then a phase behind its upstream, then an empty phase; all in sync last. */
const SEVERITY: Readonly<Record<string, number>> = { error: 0, behind: 1, empty: 2, 'in-sync': 3, source: 4 };

/** A pipeline's state for sorting: its worst phase's. */
export function worstState(p: ApiPipelineStatus): number {
  let worst = 5;
  for (const ph of p.phases) worst = Math.min(worst, SEVERITY[ph.state] ?? 5);
  return worst;
}

/** When any of a pipeline's phases last changed version (epoch ms); -Infinity when none says. */
export function lastChange(p: ApiPipelineStatus): number {
  let last = Number.NEGATIVE_INFINITY;
  for (const ph of p.phases) last = Math.max(last, arrivedAt(ph) ?? Number.NEGATIVE_INFINITY);
  return last;
}

/**
 * A pipeline's last change, remembered per pipeline object: a live update replaces only the
 * pipeline it changed, so sorting again after one parses one pipeline's times, not 30,000.
 */
const changeKeys = new WeakMap<ApiPipelineStatus, number>();
function changeKey(p: ApiPipelineStatus): number {
  let k = changeKeys.get(p);
  if (k === undefined) {
    k = -lastChange(p);
    changeKeys.set(p, k);
  }
  return k;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The list in the given order (name breaks ties); the same array when it is already sorted by
 * name and `name` is asked. Keys are computed once per pipeline, so 10,000 rows sort in a few ms.
 */
export function sortPipelines(list: readonly ApiPipelineStatus[], sort: PipelineSort): readonly ApiPipelineStatus[] {
  if (sort === 'name') {
    let sorted = true;
    for (let i = 1; i < list.length && sorted; i++)
      sorted = byName((list[i - 1] as ApiPipelineStatus).pipeline, (list[i] as ApiPipelineStatus).pipeline) <= 0;
    if (sorted) return list;
    return [...list].sort((a, b) => byName(a.pipeline, b.pipeline));
  }
  const key = sort === 'state' ? worstState : changeKey;
  const keyed = list.map((p) => ({ p, k: key(p) }));
  keyed.sort((a, b) => a.k - b.k || byName(a.p.pipeline, b.p.pipeline));
  return keyed.map((x) => x.p);
}
