/** A quiet placeholder while something loads; says what is being loaded. */
export function Loading(props: { what: string }) {
  return (
    <div className="notice loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {props.what}…
    </div>
  );
}
