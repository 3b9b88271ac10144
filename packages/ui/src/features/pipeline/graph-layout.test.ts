import type { ApiPhaseStatus } from '@gantry/api';
import { describe, expect, it } from 'vitest';
import { phase } from '../../shared/fixtures.js';
import type { Box, Point } from './edge-routes.js';
import type { GraphLayout } from './graph-layout.js';
import { layoutPhases, MAX_ROWS, NODE_GAP_X, NODE_WIDTH } from './graph-layout.js';
import { crossings, orderedLayers } from './layer-order.js';

const REGIONS = 40;

/** oci -> staging -> 40 regions -> global (global joins every region), as the API lists it. */
function fanOutFanIn(): ApiPhaseStatus[] {
  const regions = Array.from({ length: REGIONS }, (_, i) => `region-${String(i).padStart(2, '0')}`);
  return [
    phase('big', 'oci', { upstreams: [] }),
    phase('big', 'staging', { upstreams: [{ phase: 'oci', inSync: true }] }),
    ...regions.map((r, i) => phase('big', r, { upstreams: [{ phase: 'staging', inSync: i % 3 !== 0 }] })),
    phase('big', 'global', { upstreams: regions.map((r) => ({ phase: r, inSync: true })) }),
  ];
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Whether the segment p-q runs through the inside of the box (touching its border is not crossing). */
function crossesBox(p: Point, q: Point, b: Box): boolean {
  const [x1, x2] = [Math.min(p.x, q.x), Math.max(p.x, q.x)];
  const [y1, y2] = [Math.min(p.y, q.y), Math.max(p.y, q.y)];
  return x1 < b.x + b.width && x2 > b.x && y1 < b.y + b.height && y2 > b.y;
}

function nodeOf(l: GraphLayout, id: string) {
  const n = l.nodes.find((m) => m.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
}

describe('layoutPhases', () => {
  it('GIVEN oci -> staging -> production THEN three columns in a row and edges that say in sync or behind', () => {
    const l = layoutPhases([
      phase('app', 'oci', { upstreams: [] }),
      phase('app', 'staging', { upstreams: [{ phase: 'oci', inSync: false, version: 'app:latest@a4a0' }] }),
      phase('app', 'production', { upstreams: [{ phase: 'staging', inSync: true }] }),
    ]);
    expect(l.nodes.map((n) => [n.id, n.x, n.y])).toEqual([
      ['oci', 0, 0],
      ['staging', NODE_WIDTH + NODE_GAP_X, 0],
      ['production', 2 * (NODE_WIDTH + NODE_GAP_X), 0],
    ]);
    expect(l.edges.map((e) => [e.id, e.inSync, e.label])).toEqual([
      ['oci->staging', false, 'behind'],
      ['staging->production', true, 'in sync'],
    ]);
    // nodes of one height in one row: each edge is a straight line
    expect(l.edges.map((e) => e.points.length)).toEqual([2, 2]);
  });

  it('GIVEN a fan-out and a fan-in THEN siblings stack, and the join sits right of its deepest upstream', () => {
    const { nodes } = layoutPhases([
      phase('a', 'src', { upstreams: [] }),
      phase('a', 'eu', { upstreams: [{ phase: 'src', inSync: true }] }),
      phase('a', 'us', { upstreams: [{ phase: 'src', inSync: true }] }),
      phase('a', 'global', {
        upstreams: [
          { phase: 'eu', inSync: true },
          { phase: 'src', inSync: true },
        ],
      }),
    ]);
    const at = Object.fromEntries(nodes.map((n) => [n.id, n]));
    expect(at.us?.x).toBe(at.eu?.x);
    expect(at.us?.y).toBeGreaterThan((at.eu?.y ?? 0) + (at.eu?.height ?? 0));
    expect(at.global?.x).toBe(2 * (NODE_WIDTH + NODE_GAP_X));
  });

  it('GIVEN an upstream that is not listed THEN no dangling edge', () => {
    const { edges } = layoutPhases([phase('a', 'x', { upstreams: [{ phase: 'gone', inSync: true }] })]);
    expect(edges).toEqual([]);
  });

  it('GIVEN measured heights THEN nodes take them and rows make room', () => {
    const phases = [
      phase('a', 'src', { upstreams: [] }),
      phase('a', 'eu', { upstreams: [{ phase: 'src', inSync: true }] }),
      phase('a', 'us', { upstreams: [{ phase: 'src', inSync: true }] }),
    ];
    const l = layoutPhases(phases, new Map([['eu', 300]]));
    expect(nodeOf(l, 'eu').height).toBe(300);
    expect(nodeOf(l, 'us').y).toBeGreaterThan(300);
  });

  describe('GIVEN oci -> staging -> 40 regions -> global', () => {
    const l = layoutPhases(fanOutFanIn());

    it('THEN no two boxes overlap, and the regions wrap into columns of at most MAX_ROWS', () => {
      for (const [i, a] of l.nodes.entries())
        for (const b of l.nodes.slice(i + 1)) expect(overlaps(a, b), `${a.id} and ${b.id}`).toBe(false);
      const regions = l.nodes.filter((n) => n.id.startsWith('region-'));
      expect(new Set(regions.map((n) => n.layer))).toEqual(new Set([2]));
      expect(new Set(regions.map((n) => n.column)).size).toBe(REGIONS / MAX_ROWS);
      expect(new Set(regions.map((n) => n.y)).size).toBe(MAX_ROWS);
      // landscape, like a screen: far wider than tall, not a 40-node tower
      expect(l.width).toBeGreaterThan(l.height);
    });

    it("THEN every edge starts at its source's right middle, ends at its target's left middle, and crosses no box", () => {
      expect(l.edges).toHaveLength(2 * REGIONS + 1);
      for (const e of l.edges) {
        const from = nodeOf(l, e.source);
        const to = nodeOf(l, e.target);
        expect(e.points[0]).toEqual({ x: from.x + from.width, y: from.y + from.height / 2 });
        expect(e.points[e.points.length - 1]).toEqual({ x: to.x, y: to.y + to.height / 2 });
        for (let i = 1; i < e.points.length; i++) {
          const p = e.points[i - 1] as Point;
          const q = e.points[i] as Point;
          expect(p.x === q.x || p.y === q.y, `${e.id} segment ${i} is orthogonal`).toBe(true);
          for (const n of l.nodes) expect(crossesBox(p, q, n), `${e.id} segment ${i} crosses ${n.id}`).toBe(false);
        }
      }
    });

    it('THEN the fan-in sits right of all its upstreams, and each edge label sits on its own stub', () => {
      const global = nodeOf(l, 'global');
      for (const n of l.nodes) if (n.id !== 'global') expect(n.x + n.width).toBeLessThan(global.x);
      const labels = l.edges.filter((e) => e.target !== 'staging').map((e) => `${e.labelAt.x},${e.labelAt.y}`);
      expect(new Set(labels).size).toBe(labels.length);
    });

    it('THEN the same input lays out the same, every time', () => {
      expect(layoutPhases(fanOutFanIn())).toEqual(l);
      // a plain fan-out keeps the configured order of its regions, top to bottom, column by column
      const regions = l.nodes.filter((n) => n.id.startsWith('region-'));
      const reading = [...regions].sort((a, b) => a.column - b.column || a.y - b.y).map((n) => n.id);
      expect(reading).toEqual(regions.map((n) => n.id).sort());
    });
  });
});

describe('orderedLayers', () => {
  it('GIVEN two chains listed crosswise THEN the barycenter order uncrosses them', () => {
    const ups: Record<string, string[]> = { a1: [], a2: [], b2: ['a2'], b1: ['a1'], c1: ['b1'], c2: ['b2'] };
    const g = { names: ['a1', 'a2', 'b2', 'b1', 'c1', 'c2'], upstreamsOf: (n: string) => ups[n] ?? [] };
    const layers = orderedLayers(g);
    const edges = Object.entries(ups).flatMap(([n, us]) => us.map((u) => [u, n] as const));
    expect(
      crossings(
        [
          ['a1', 'a2'],
          ['b2', 'b1'],
          ['c1', 'c2'],
        ],
        edges,
      ),
    ).toBe(2);
    expect(crossings(layers, edges)).toBe(0);
    expect(layers).toEqual([
      ['a1', 'a2'],
      ['b1', 'b2'],
      ['c1', 'c2'],
    ]);
  });
});
