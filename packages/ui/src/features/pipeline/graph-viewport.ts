import type { GraphLayout } from './graph-layout.js';

/** Fitting a wide graph never shrinks it below this: node text is 12px or more, so 9px or more. */
export const MIN_FIT_ZOOM = 0.75;
/** Room around a fitted graph, in screen pixels. */
const PADDING = 24;

export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

/**
 * Where a graph opens: the whole of it, centred, when it fits at MIN_FIT_ZOOM or more (never
 * above 1x); a larger one at MIN_FIT_ZOOM from its start (its sources, at the left, vertically
 * centred on them), to be panned from there, rather than centred on its middle with the start cut off.
 */
export function initialViewport(layout: GraphLayout, width: number, height: number): Viewport {
  const fit = Math.min((width - 2 * PADDING) / layout.width, (height - 2 * PADDING) / layout.height, 1);
  const zoom = Math.max(MIN_FIT_ZOOM, Number.isFinite(fit) ? fit : 1);
  const w = layout.width * zoom;
  const h = layout.height * zoom;
  const x = w <= width - 2 * PADDING ? (width - w) / 2 : PADDING;
  let y = (height - h) / 2;
  if (h > height - 2 * PADDING) {
    const first = layout.nodes.filter((n) => n.layer === 0);
    const top = Math.min(...first.map((n) => n.y));
    const bottom = Math.max(...first.map((n) => n.y + n.height));
    const middle = first.length > 0 ? (top + bottom) / 2 : layout.height / 2;
    // centred on the sources, but never past either end of the graph
    y = Math.min(PADDING, Math.max(height - PADDING - h, height / 2 - middle * zoom));
  }
  return { x, y, zoom };
}

/** The graph's box height for a layout: all of it at MIN_FIT_ZOOM, within 300px and 75% of the window. */
export function graphBoxHeight(layout: GraphLayout): string {
  const wanted = Math.ceil(layout.height * MIN_FIT_ZOOM + 2 * PADDING);
  return `min(${Math.max(300, wanted)}px, max(300px, 75vh))`;
}
