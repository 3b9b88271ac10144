import type { ApiPipelineStatus } from '@gantry/api';
import type { CSSProperties } from 'react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { PipelineRow } from './PipelineRow.js';
import { rowWindow } from './windowing.js';

export const ROW_HEIGHT = 52;
/** Row slots reused: more than a tall screen shows with its overscan. */
const MIN_POOL = 128;

/**
 * The overview's table, windowed: only the rows in view (plus a few) are in the DOM, so a fleet of
 * thousands scrolls as smoothly as ten pipelines. Header and rows share one scroll area: the header
 * sticks to the top and the names to the left edge when a narrow screen scrolls sideways.
 */
export function VirtualRows(props: { pipelines: readonly ApiPipelineStatus[]; columns: readonly string[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(() => window.innerHeight);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight || window.innerHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight || window.innerHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const w = rowWindow({
    count: props.pipelines.length,
    rowHeight: ROW_HEIGHT,
    scrollTop,
    viewportHeight: height,
    overscan: 8,
  });
  const painted = w.end > w.start;
  useEffect(() => {
    // the benchmark's "first meaningful paint": rows are in the DOM
    if (painted && performance.getEntriesByName('gantry:rows').length === 0) performance.mark('gantry:rows');
  }, [painted]);

  // rows keyed by their slot (position modulo the pool), not by pipeline: a filter or sort that
  // brings other pipelines into view updates the rows' text in place instead of unmounting and
  // mounting every row, and a scroll of one row re-renders the one slot it frees
  const pool = Math.max(MIN_POOL, w.end - w.start);
  const rows = [];
  for (let i = w.start; i < w.end; i++) {
    const p = props.pipelines[i];
    if (p) rows.push(<PipelineRow key={i % pool} pipeline={p} columns={props.columns} top={i * ROW_HEIGHT} />);
  }
  return (
    <div
      className="rows"
      ref={ref}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      style={{ '--columns': props.columns.length } as CSSProperties}
    >
      <div className="thead grid-row">
        <div className="cell name">pipeline</div>
        {props.columns.map((c) => (
          <div key={c} className="cell">
            {c}
          </div>
        ))}
      </div>
      <div className="rows-inner" style={{ height: w.totalHeight }}>
        {rows}
      </div>
    </div>
  );
}
