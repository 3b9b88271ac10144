/** The rows to render for a scroll position: only those on screen plus a few either side. */
export interface RowWindow {
  /** First row to render (inclusive). */
  readonly start: number;
  /** Row after the last to render (exclusive). */
  readonly end: number;
  /** Space above the first rendered row, in px. */
  readonly offsetTop: number;
  /** Height of all rows, in px: the scroll area's size. */
  readonly totalHeight: number;
}

export function rowWindow(o: {
  readonly count: number;
  readonly rowHeight: number;
  readonly scrollTop: number;
  readonly viewportHeight: number;
  readonly overscan?: number;
}): RowWindow {
  const overscan = o.overscan ?? 5;
  const totalHeight = o.count * o.rowHeight;
  if (o.count === 0 || o.rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight };
  const top = Math.min(Math.max(0, o.scrollTop), Math.max(0, totalHeight - o.viewportHeight));
  const first = Math.floor(top / o.rowHeight);
  const visible = Math.ceil(Math.max(o.viewportHeight, o.rowHeight) / o.rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(o.count, first + visible + overscan);
  return { start, end, offsetTop: start * o.rowHeight, totalHeight };
}
