import type { Facets } from './facets.js';
import type { PhaseState } from './filter.js';
import { parseFilter, withLabel, withPhaseState } from './filter.js';
import type { PipelineSort } from './sort.js';
import { SORT_LABELS, SORTS } from './sort.js';

const STATE_WORDS: Readonly<Record<PhaseState, string>> = {
  'in-sync': 'in sync',
  behind: 'behind',
  source: 'source',
  empty: 'empty',
  error: 'error',
};

/**
 * The overview's filter box (name fragments, `label=value`, `label!=value`, `is:behind`,
 * `production:behind`), the sort order, and facets that write the same terms into the box, so
 * whatever is chosen is in the address and can be shared.
 */
export function FilterBar(props: {
  value: string;
  onChange: (v: string) => void;
  sort: PipelineSort;
  onSort: (s: PipelineSort) => void;
  shown: number;
  total: number;
  /** The whole list is still loading: `shown` are the first rows, the facets wait. */
  loading?: boolean;
  facets: Facets;
  /** A phone: facets start folded away. */
  narrow: boolean;
}) {
  const f = parseFilter(props.value);
  const chosenLabel = (key: string) => f.labels.find((l) => l.key === key && !l.negate)?.value;
  const chosenState = (phase: string) => f.phaseStates.find((t) => t.phase === phase && !t.negate)?.state;
  const production = props.facets.production;
  const productionBehind = production !== undefined && chosenState(production) === 'behind';
  const behindCount =
    props.facets.phases.find((p) => p.phase === production)?.states.find((s) => s.value === 'behind')?.count ?? 0;
  return (
    <search className="filter-bar">
      <div className="filter-line">
        <label htmlFor="filter" className="visually-hidden">
          Filter pipelines
        </label>
        <input
          id="filter"
          type="search"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          placeholder="Filter: name, team=payments, production:behind, is:error"
          autoComplete="off"
          spellCheck={false}
        />
        <label className="sort">
          <span>Sort by</span>
          <select value={props.sort} onChange={(e) => props.onSort(e.target.value as PipelineSort)}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <span className="count" aria-live="polite">
          {props.loading
            ? `first ${props.shown} of ${props.total}, loading the rest…`
            : props.shown === props.total
              ? `${props.total} pipelines`
              : `${props.shown} of ${props.total} pipelines`}
        </span>
      </div>
      <details className="facets" open={!props.narrow}>
        <summary>Facets</summary>
        <div className="facet-list">
          {production !== undefined && (
            <button
              type="button"
              className="facet-toggle"
              aria-pressed={productionBehind}
              title={`Pipelines whose ${production} phase differs from what its upstream holds`}
              onClick={() =>
                props.onChange(withPhaseState(props.value, production, productionBehind ? undefined : 'behind'))
              }
            >
              Behind in {production} ({behindCount})
            </button>
          )}
          {props.facets.phases.map((ph) => {
            const chosen = chosenState(ph.phase);
            return (
              <label key={ph.phase} className="facet">
                <span>{ph.phase}</span>
                <select
                  value={chosen ?? ''}
                  onChange={(e) =>
                    props.onChange(withPhaseState(props.value, ph.phase, (e.target.value || undefined) as PhaseState))
                  }
                >
                  <option value="">any state</option>
                  {ph.states.map((s) => (
                    <option key={s.value} value={s.value}>
                      {STATE_WORDS[s.value]} ({s.count})
                    </option>
                  ))}
                  {chosen && !ph.states.some((s) => s.value === chosen) && (
                    <option value={chosen}>{STATE_WORDS[chosen]} (0)</option>
                  )}
                </select>
              </label>
            );
          })}
          {props.facets.labels.map((l) => {
            const chosen = chosenLabel(l.key);
            return (
              <label key={l.key} className="facet">
                <span>{l.key}</span>
                <select
                  value={chosen ?? ''}
                  onChange={(e) => props.onChange(withLabel(props.value, l.key, e.target.value || undefined))}
                >
                  <option value="">any</option>
                  {l.values.map((v) => (
                    <option key={v.value} value={v.value}>
                      {v.value} ({v.count})
                    </option>
                  ))}
                  {chosen !== undefined && !l.values.some((v) => v.value === chosen) && (
                    <option value={chosen}>{chosen} (0)</option>
                  )}
                </select>
              </label>
            );
          })}
        </div>
      </details>
    </search>
  );
}
