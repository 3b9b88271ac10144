/** A point of the graph's plane (React Flow's coordinates: y grows downwards). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A node's box: top-left corner and size. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Where an edge may run: `exitX` and `enterX` are the middles of the gaps right of its source's
 * column and left of its target's (no node stands in a gap between columns), `lanes` the y of
 * the gaps between grid rows (no node stands in one either).
 */
export interface Channels {
  readonly exitX: number;
  readonly enterX: number;
  readonly lanes: readonly number[];
}

/** Drops repeated points and the middle of three on one line, so a path has only its corners. */
function corners(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && last.x === p.x && last.y === p.y) continue;
    const before = out[out.length - 2];
    if (last && before && ((before.x === last.x && last.x === p.x) || (before.y === last.y && last.y === p.y)))
      out.pop();
    out.push(p);
  }
  return out;
}

/**
 * An orthogonal route from the right middle of `from` to the left middle of `to` that crosses no
 * node: out into the gap right of the source, and when the target is the next column, straight
 * along that gap to the target's height; otherwise along the lane beside the target's row (the
 * one facing the source) to the gap left of the target, then in.
 */
export function routeEdge(from: Box, to: Box, ch: Channels): Point[] {
  const start = { x: from.x + from.width, y: from.y + from.height / 2 };
  const end = { x: to.x, y: to.y + to.height / 2 };
  if (ch.exitX === ch.enterX) {
    return corners([start, { x: ch.exitX, y: start.y }, { x: ch.exitX, y: end.y }, end]);
  }
  // the lanes just above and below the target's row
  const above = Math.max(...ch.lanes.filter((l) => l < to.y), Number.NEGATIVE_INFINITY);
  const below = Math.min(...ch.lanes.filter((l) => l > to.y + to.height), Number.POSITIVE_INFINITY);
  const lane = start.y <= end.y ? (Number.isFinite(above) ? above : below) : Number.isFinite(below) ? below : above;
  return corners([
    start,
    { x: ch.exitX, y: start.y },
    { x: ch.exitX, y: lane },
    { x: ch.enterX, y: lane },
    { x: ch.enterX, y: end.y },
    end,
  ]);
}

/** An SVG path through the points (straight segments). */
export function svgPath(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
}
