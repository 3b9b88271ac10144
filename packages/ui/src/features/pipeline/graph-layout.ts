import type { ApiPhaseStatus } from '@gantry/api';
import type { Box, Point } from './edge-routes.js';
import { routeEdge } from './edge-routes.js';
import { orderedLayers } from './layer-order.js';

export interface LaidOutNode extends Box {
  readonly id: string;
  readonly status: ApiPhaseStatus;
  /** Its layer (depth in the promotion graph), its column within a wrapped layer, its grid row. */
  readonly layer: number;
  readonly column: number;
  readonly row: number;
}

export interface LaidOutEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly inSync: boolean;
  /** `in sync` or `behind` (the nodes show the versions). */
  readonly label: string;
  /** An orthogonal path from the source's right side to the target's left side, around every node. */
  readonly points: readonly Point[];
  /** Which end's stub carries its label: the end it does not share with other edges. */
  readonly labelSide: 'source' | 'target';
  /** Where its label goes: the middle of that stub. */
  readonly labelAt: Point;
}

export interface GraphLayout {
  readonly nodes: LaidOutNode[];
  readonly edges: LaidOutEdge[];
  readonly width: number;
  readonly height: number;
}

/** `.phase-node`'s CSS width. */
export const NODE_WIDTH = 240;
/** Between layers: room for the edges' vertical runs and a label on each side. */
export const NODE_GAP_X = 110;
/** Between the columns of a wrapped layer. */
export const COLUMN_GAP_X = 90;
/** Between rows: the lane edges take across a wrapped layer. */
export const NODE_GAP_Y = 36;
/** A layer with more phases than this wraps into columns (a 40-region fan-out: 5 columns of 8). */
export const MAX_ROWS = 8;

/** A node's height before the browser has measured it, from the lines it will show. */
export function estimatedHeight(s: ApiPhaseStatus): number {
  const lines =
    (s.deployment || s.verification ? 1 : 0) +
    (s.setBy && s.setBy.id !== s.digest ? 1 : 0) +
    Object.keys(s.labels).length +
    (s.error ? 2 : 0) +
    (s.warning ? 1 : 0);
  // padding and border 22, head 25, version 18, each further line 18
  return 65 + 18 * lines;
}

/**
 * A layered layout of a pipeline's phases, left to right by depth in the promotion graph (a phase
 * one layer right of its deepest upstream, so a fan-in sits after all it joins), each layer in
 * the order that crosses the fewest edges. A layer longer than MAX_ROWS wraps into columns, all
 * layers share one grid of rows (so the lanes between rows run clear across the whole graph),
 * and every edge runs through those lanes and the gaps between columns, never across a node.
 * `heights`: nodes as the browser measured them; others are estimated.
 */
export function layoutPhases(
  phases: readonly ApiPhaseStatus[],
  heights: ReadonlyMap<string, number> = new Map(),
): GraphLayout {
  const byName = new Map(phases.map((p) => [p.phase, p]));
  const layers = orderedLayers({
    names: phases.map((p) => p.phase),
    upstreamsOf: (n) => byName.get(n)?.upstreams.map((u) => u.phase) ?? [],
  });
  const shapes = layers.map((l) => {
    const columns = Math.max(1, Math.ceil(l.length / MAX_ROWS));
    return { columns, rows: Math.ceil(l.length / columns) };
  });
  const gridRows = Math.max(1, ...shapes.map((s) => s.rows));
  const heightOf = (n: string) => {
    const s = byName.get(n) as ApiPhaseStatus;
    return heights.get(n) ?? estimatedHeight(s);
  };

  // each layer centred on the grid; a row is as tall as its tallest node in any layer
  const cells: { name: string; layer: number; column: number; row: number }[] = [];
  layers.forEach((l, li) => {
    const { rows } = shapes[li] as { rows: number };
    const offset = Math.floor((gridRows - rows) / 2);
    l.forEach((name, j) => {
      cells.push({ name, layer: li, column: Math.floor(j / rows), row: offset + (j % rows) });
    });
  });
  const rowHeight = Array.from({ length: gridRows }, () => 0);
  for (const c of cells) rowHeight[c.row] = Math.max(rowHeight[c.row] ?? 0, heightOf(c.name));
  const rowY: number[] = [];
  let y = 0;
  for (const h of rowHeight) {
    rowY.push(y);
    y += h + NODE_GAP_Y;
  }
  const layerX: number[] = [];
  let x = 0;
  for (const s of shapes) {
    layerX.push(x);
    x += s.columns * NODE_WIDTH + (s.columns - 1) * COLUMN_GAP_X + NODE_GAP_X;
  }

  const nodes: LaidOutNode[] = cells.map((c) => ({
    id: c.name,
    status: byName.get(c.name) as ApiPhaseStatus,
    layer: c.layer,
    column: c.column,
    row: c.row,
    x: (layerX[c.layer] ?? 0) + c.column * (NODE_WIDTH + COLUMN_GAP_X),
    y: rowY[c.row] ?? 0,
    width: NODE_WIDTH,
    height: heightOf(c.name),
  }));
  const nodeOf = new Map(nodes.map((n) => [n.id, n]));
  // the horizontal lanes: above the first row, between rows, below the last
  const lanes = [-NODE_GAP_Y / 2, ...rowY.map((ry, r) => ry + (rowHeight[r] ?? 0) + NODE_GAP_Y / 2)];
  const gapRight = (n: LaidOutNode) => (n.column < (shapes[n.layer]?.columns ?? 1) - 1 ? COLUMN_GAP_X : NODE_GAP_X);
  const gapLeft = (n: LaidOutNode) => (n.column > 0 ? COLUMN_GAP_X : NODE_GAP_X);

  const raw = phases.flatMap((p) =>
    p.upstreams.filter((u) => byName.has(u.phase)).map((u) => ({ u, target: p.phase })),
  );
  const outDegree = new Map<string, number>();
  const inDegree = new Map<string, number>();
  for (const { u, target } of raw) {
    outDegree.set(u.phase, (outDegree.get(u.phase) ?? 0) + 1);
    inDegree.set(target, (inDegree.get(target) ?? 0) + 1);
  }
  const edges: LaidOutEdge[] = raw.map(({ u, target }) => {
    const from = nodeOf.get(u.phase) as LaidOutNode;
    const to = nodeOf.get(target) as LaidOutNode;
    const route = routeEdge(from, to, {
      exitX: from.x + from.width + gapRight(from) / 2,
      enterX: to.x - gapLeft(to) / 2,
      lanes,
    });
    const start = route[0] as Point;
    const end = route[route.length - 1] as Point;
    // a label beside the end no other edge shares (a fan-out shares its start, a fan-in its end)
    const atStart = (inDegree.get(target) ?? 0) > 1 && (outDegree.get(u.phase) ?? 0) === 1;
    const stub = atStart ? { a: start, b: route[1] as Point } : { a: route[route.length - 2] as Point, b: end };
    return {
      id: `${u.phase}->${target}`,
      source: u.phase,
      target,
      inSync: u.inSync,
      label: u.inSync ? 'in sync' : 'behind',
      points: route,
      labelSide: atStart ? 'source' : 'target',
      labelAt: { x: (stub.a.x + stub.b.x) / 2, y: stub.a.y },
    };
  });
  const width = Math.max(0, x - NODE_GAP_X);
  const height = Math.max(0, y - NODE_GAP_Y);
  return { nodes, edges, width, height };
}
