const LABELS: Readonly<Record<string, string>> = {
  'in-sync': 'in sync',
  behind: 'behind',
  source: 'source',
  empty: 'empty',
  error: 'error',
};

/** A phase state or a promotion state, coloured the same way everywhere. */
export function StateBadge(props: { state: string; title?: string }) {
  return (
    <span className={`badge state-${props.state}`} title={props.title}>
      {LABELS[props.state] ?? props.state}
    </span>
  );
}
