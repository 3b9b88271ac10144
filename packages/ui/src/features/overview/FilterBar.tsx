/** The overview's filter box: name fragments, `label=value`, `label!=value`, `is:behind`. */
export function FilterBar(props: { value: string; onChange: (v: string) => void; shown: number; total: number }) {
  return (
    <div className="filter-bar">
      <label htmlFor="filter" className="visually-hidden">
        Filter pipelines
      </label>
      <input
        id="filter"
        type="search"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        placeholder="Filter: name, team=payments, environment!=dev, is:behind"
        autoComplete="off"
        spellCheck={false}
      />
      <span className="count" aria-live="polite">
        {props.shown === props.total ? `${props.total} pipelines` : `${props.shown} of ${props.total} pipelines`}
      </span>
    </div>
  );
}
