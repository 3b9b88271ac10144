import { useMemo } from 'react';
import { diffLines, diffStat } from './diff-lines.js';

/** A unified diff with additions and removals coloured and line numbers of both sides. */
export function DiffView(props: { diff: string }) {
  const lines = useMemo(() => diffLines(props.diff), [props.diff]);
  const stat = diffStat(lines);
  if (lines.length === 0) return <p className="hint">No file changes.</p>;
  return (
    <figure className="diff" aria-label="Changes the promotion writes">
      <figcaption>
        <span className="added">+{stat.added}</span> <span className="removed">−{stat.removed}</span>
      </figcaption>
      <pre>
        {lines.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed text, never reordered
          <div key={i} className={`line line-${l.kind}`}>
            <span className="no">{l.oldNo ?? ''}</span>
            <span className="no">{l.newNo ?? ''}</span>
            <span className="text">{l.text}</span>
          </div>
        ))}
      </pre>
    </figure>
  );
}
