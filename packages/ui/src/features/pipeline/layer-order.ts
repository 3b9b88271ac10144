/**
 * Layers of a promotion graph and the order of phases within each: the order that crosses the
 * fewest edges, found with the barycenter heuristic (each phase moves to the mean position of its
 * neighbours in the layers already ordered, sweeping down and up). Ties keep the listed order,
 * so the answer is deterministic and a plain fan-out stays in the configured order.
 */

/** A graph as names: `upstreams` of each node, in listed order. */
export interface LayerInput {
  readonly names: readonly string[];
  readonly upstreamsOf: (name: string) => readonly string[];
}

/** Sweeps (down and up, each) tried before keeping the order with the fewest crossings. */
const SWEEPS = 6;

/** A phase's depth: one more than its deepest upstream; 0 for a source (or a cycle, which no config has). */
export function depths(g: LayerInput): Map<string, number> {
  const known = new Set(g.names);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (name: string): number => {
    const d = depth.get(name);
    if (d !== undefined) return d;
    // a cycle cannot be configured, but a bad answer must not hang the page
    if (visiting.has(name)) return 0;
    visiting.add(name);
    const ups = g.upstreamsOf(name).filter((u) => known.has(u));
    const mine = ups.length === 0 ? 0 : 1 + Math.max(...ups.map(depthOf));
    visiting.delete(name);
    depth.set(name, mine);
    return mine;
  };
  for (const n of g.names) depthOf(n);
  return depth;
}

/** Where each name sits in its layer, as a fraction (0..1) so layers of different sizes compare. */
function keys(layers: readonly (readonly string[])[]): Map<string, number> {
  const at = new Map<string, number>();
  for (const layer of layers) {
    for (const [i, n] of layer.entries()) at.set(n, (i + 0.5) / layer.length);
  }
  return at;
}

/** Edges that cross, counted between every pair of layers an edge joins (long edges included). */
export function crossings(
  layers: readonly (readonly string[])[],
  edges: readonly (readonly [string, string])[],
): number {
  const at = keys(layers);
  const layerOf = new Map<string, number>();
  layers.forEach((l, i) => {
    for (const n of l) layerOf.set(n, i);
  });
  let count = 0;
  for (let i = 0; i < edges.length; i++) {
    const [a, b] = edges[i] as readonly [string, string];
    for (let j = i + 1; j < edges.length; j++) {
      const [c, d] = edges[j] as readonly [string, string];
      if (layerOf.get(a) !== layerOf.get(c) || layerOf.get(b) !== layerOf.get(d)) continue;
      const s = (at.get(a) ?? 0) - (at.get(c) ?? 0);
      const t = (at.get(b) ?? 0) - (at.get(d) ?? 0);
      if (s * t < 0) count++;
    }
  }
  return count;
}

/** Sorts `layer` by the mean key of each name's neighbours; names without any keep their own key. */
function byBarycenter(layer: readonly string[], neighbours: Map<string, string[]>, at: Map<string, number>): string[] {
  const own = (n: string, i: number) => at.get(n) ?? (i + 0.5) / layer.length;
  const bary = layer.map((n, i) => {
    const ns = (neighbours.get(n) ?? []).filter((m) => at.has(m));
    const k = ns.length === 0 ? own(n, i) : ns.reduce((s, m) => s + (at.get(m) ?? 0), 0) / ns.length;
    return { n, k, i };
  });
  // a stable order: equal barycenters keep their current order
  bary.sort((a, b) => a.k - b.k || a.i - b.i);
  return bary.map((b) => b.n);
}

/** The phases in layers by depth, each layer ordered to cross as few edges as the heuristic finds. */
export function orderedLayers(g: LayerInput): string[][] {
  const depth = depths(g);
  const known = new Set(g.names);
  const layers: string[][] = [];
  for (const n of g.names) {
    const d = depth.get(n) ?? 0;
    while (layers.length <= d) layers.push([]);
    layers[d]?.push(n);
  }
  const ups = new Map<string, string[]>();
  const downs = new Map<string, string[]>();
  const edges: [string, string][] = [];
  for (const n of g.names) {
    for (const u of g.upstreamsOf(n)) {
      if (!known.has(u)) continue;
      edges.push([u, n]);
      ups.set(n, [...(ups.get(n) ?? []), u]);
      downs.set(u, [...(downs.get(u) ?? []), n]);
    }
  }
  let best = layers.map((l) => [...l]);
  let fewest = crossings(best, edges);
  let current = best;
  for (let s = 0; s < SWEEPS && fewest > 0; s++) {
    const next = current.map((l) => [...l]);
    const down = s % 2 === 0;
    const order = down
      ? next.map((_, i) => i).slice(1)
      : next
          .map((_, i) => i)
          .reverse()
          .slice(1);
    for (const i of order) {
      const at = keys(next);
      next[i] = byBarycenter(next[i] ?? [], down ? ups : downs, at);
    }
    const c = crossings(next, edges);
    if (c < fewest) {
      best = next;
      fewest = c;
    }
    current = next;
  }
  return best;
}
