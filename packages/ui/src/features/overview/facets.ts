import type { ApiPipelineStatus } from '@gantry/api';
import type { PhaseState } from './filter.js';
import { PHASE_STATES } from './filter.js';

/** One value a facet offers, and how many pipelines have it. */
export interface FacetValue<T extends string = string> {
  readonly value: T;
  readonly count: number;
}

export interface Facets {
  /** Pipeline labels with a manageable number of values (a label unique per pipeline makes no facet). */
  readonly labels: readonly { readonly key: string; readonly values: readonly FacetValue[] }[];
  /** Per phase column: how many pipelines have that phase in each state. */
  readonly phases: readonly { readonly phase: string; readonly states: readonly FacetValue<PhaseState>[] }[];
  /** The phase that "behind in production" means: named production/prod or labelled environment=production, else the last column. */
  readonly production: string | undefined;
}

const MAX_VALUES = 50;

const PRODUCTION_NAMES = new Set(['production', 'prod']);

/** The facets of a pipeline list, counted in one pass (10,000 pipelines x 3 phases: a few ms). */
export function computeFacets(list: readonly ApiPipelineStatus[], columns: readonly string[]): Facets {
  const labels = new Map<string, Map<string, number>>();
  const phases = new Map<string, Map<PhaseState, number>>(columns.map((c) => [c, new Map()]));
  let labelledProduction: string | undefined;
  for (const p of list) {
    for (const [k, v] of Object.entries(p.labels)) {
      let values = labels.get(k);
      if (!values) {
        values = new Map();
        labels.set(k, values);
      }
      if (values.size <= MAX_VALUES) values.set(v, (values.get(v) ?? 0) + 1);
    }
    for (const ph of p.phases) {
      const states = phases.get(ph.phase);
      if (states) states.set(ph.state, (states.get(ph.state) ?? 0) + 1);
      if (!labelledProduction && ph.labels.environment === 'production') labelledProduction = ph.phase;
    }
  }
  const named = columns.find((c) => PRODUCTION_NAMES.has(c.toLowerCase()));
  return {
    labels: [...labels]
      .filter(([, values]) => values.size <= MAX_VALUES)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, values]) => ({
        key,
        values: [...values].sort(([a], [b]) => (a < b ? -1 : 1)).map(([value, count]) => ({ value, count })),
      })),
    phases: columns.map((phase) => ({
      phase,
      states: PHASE_STATES.flatMap((s) => {
        const count = phases.get(phase)?.get(s) ?? 0;
        return count > 0 ? [{ value: s, count }] : [];
      }),
    })),
    production: named ?? labelledProduction ?? columns[columns.length - 1],
  };
}
