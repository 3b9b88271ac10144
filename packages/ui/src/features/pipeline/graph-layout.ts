import type { ApiPhaseStatus } from '@gantry/api';

export interface LaidOutNode {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly status: ApiPhaseStatus;
}

export interface LaidOutEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly inSync: boolean;
  /** `in sync` or `behind` (the nodes show the versions). */
  readonly label: string;
}

export const NODE_WIDTH = 240;
export const NODE_GAP_X = 90;
export const NODE_HEIGHT = 150;
export const NODE_GAP_Y = 40;

/**
 * Phases placed left to right by their depth in the promotion graph (a phase sits one
 * column right of its deepest upstream); phases of a column stacked in listed order.
 */
export function layoutPhases(phases: readonly ApiPhaseStatus[]): { nodes: LaidOutNode[]; edges: LaidOutEdge[] } {
  const byName = new Map(phases.map((p) => [p.phase, p]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    // a cycle cannot be configured, but a bad answer must not hang the page
    if (visiting.has(name)) return 0;
    visiting.add(name);
    const ups = byName.get(name)?.upstreams.filter((u) => byName.has(u.phase)) ?? [];
    const d = ups.length === 0 ? 0 : 1 + Math.max(...ups.map((u) => depthOf(u.phase)));
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  const rows = new Map<number, number>();
  const nodes = phases.map((status) => {
    const col = depthOf(status.phase);
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    return {
      id: status.phase,
      x: col * (NODE_WIDTH + NODE_GAP_X),
      y: row * (NODE_HEIGHT + NODE_GAP_Y),
      status,
    };
  });
  const edges = phases.flatMap((p) =>
    p.upstreams
      .filter((u) => byName.has(u.phase))
      .map((u) => ({
        id: `${u.phase}->${p.phase}`,
        source: u.phase,
        target: p.phase,
        inSync: u.inSync,
        label: u.inSync ? 'in sync' : 'behind',
      })),
  );
  return { nodes, edges };
}
