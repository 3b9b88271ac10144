import type { ApiCheckResultEntry } from '@gantry/api';
import { StateBadge } from '../../shared/StateBadge.js';
import { checkDuration, describeEvidence } from './check-format.js';

/** One check's result: passed or failed and why, what it saw, and its output (collapsed). */
export function CheckResultItem(props: { entry: ApiCheckResultEntry }) {
  const r = props.entry.result;
  return (
    <li className={`check check-${r.status}`} data-check={r.name} data-status={r.status}>
      <div className="check-head">
        <StateBadge state={r.status} />
        <strong>{r.name}</strong>
        <span className="muted">{r.kind}</span>
        <span className="spacer" />
        <time dateTime={r.finishedAt} title={`started ${r.startedAt}`}>
          {new Date(r.finishedAt).toLocaleString()}
        </time>
      </div>
      <p className="check-reason">{r.reason}</p>
      <p className="check-evidence">
        <code>{describeEvidence(r)}</code>
        <span className="muted">
          {' '}
          · took {checkDuration(r)}
          {r.attempts > 1 ? ` · ${r.attempts} attempts` : ''}
        </span>
      </p>
      {r.output && (
        <details className="check-output">
          <summary>Output{r.outputTruncated ? ' (the end of it)' : ''}</summary>
          <pre>{r.output}</pre>
        </details>
      )}
    </li>
  );
}
