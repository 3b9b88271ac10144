import { describe, expect, it } from 'vitest';
import { phase } from '../../shared/fixtures.js';
import { layoutPhases, NODE_GAP_X, NODE_GAP_Y, NODE_HEIGHT, NODE_WIDTH } from './graph-layout.js';

describe('layoutPhases', () => {
  it('GIVEN oci -> staging -> production THEN three columns and edges that say in sync or behind', () => {
    const { nodes, edges } = layoutPhases([
      phase('app', 'oci', { upstreams: [] }),
      phase('app', 'staging', { upstreams: [{ phase: 'oci', inSync: false, version: 'app:latest@a4a0' }] }),
      phase('app', 'production', { upstreams: [{ phase: 'staging', inSync: true }] }),
    ]);
    expect(nodes.map((n) => [n.id, n.x, n.y])).toEqual([
      ['oci', 0, 0],
      ['staging', NODE_WIDTH + NODE_GAP_X, 0],
      ['production', 2 * (NODE_WIDTH + NODE_GAP_X), 0],
    ]);
    expect(edges.map((e) => [e.id, e.inSync, e.label])).toEqual([
      ['oci->staging', false, 'behind'],
      ['staging->production', true, 'in sync'],
    ]);
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
    const at = Object.fromEntries(nodes.map((n) => [n.id, [n.x, n.y]]));
    expect(at.us).toEqual([NODE_WIDTH + NODE_GAP_X, NODE_HEIGHT + NODE_GAP_Y]);
    expect(at.global?.[0]).toBe(2 * (NODE_WIDTH + NODE_GAP_X));
  });

  it('GIVEN an upstream that is not listed THEN no dangling edge', () => {
    const { edges } = layoutPhases([phase('a', 'x', { upstreams: [{ phase: 'gone', inSync: true }] })]);
    expect(edges).toEqual([]);
  });
});
