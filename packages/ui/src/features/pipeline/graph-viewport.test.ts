import type { ApiPhaseStatus } from '@gantry/api';
import { describe, expect, it } from 'vitest';
import { phase } from '../../shared/fixtures.js';
import { layoutPhases } from './graph-layout.js';
import { graphBoxHeight, initialViewport, MIN_FIT_ZOOM } from './graph-viewport.js';

function fanOut(regions: number): ApiPhaseStatus[] {
  const names = Array.from({ length: regions }, (_, i) => `region-${i}`);
  return [
    phase('p', 'oci', { upstreams: [] }),
    phase('p', 'staging', { upstreams: [{ phase: 'oci', inSync: true }] }),
    ...names.map((r) => phase('p', r, { upstreams: [{ phase: 'staging', inSync: true }] })),
    phase('p', 'global', { upstreams: names.map((r) => ({ phase: r, inSync: true })) }),
  ];
}

describe('initialViewport', () => {
  it('GIVEN a small graph in a wide box THEN all of it, centred, at no more than 1x', () => {
    const l = layoutPhases(fanOut(1));
    const v = initialViewport(l, 1400, 300);
    expect(v.zoom).toBeLessThanOrEqual(1);
    expect(v.zoom).toBeGreaterThanOrEqual(MIN_FIT_ZOOM);
    expect(v.x + (l.width * v.zoom) / 2).toBeCloseTo(700);
  });

  it('GIVEN 40 regions in a 1400x675 box THEN the readable minimum zoom, starting at the sources (left, vertically on them)', () => {
    const l = layoutPhases(fanOut(40));
    const v = initialViewport(l, 1400, 675);
    expect(v.zoom).toBe(MIN_FIT_ZOOM);
    expect(v.x).toBe(24);
    const oci = l.nodes.find((n) => n.id === 'oci');
    const ociMiddle = v.y + ((oci?.y ?? 0) + (oci?.height ?? 0) / 2) * v.zoom;
    expect(ociMiddle).toBeGreaterThan(0);
    expect(ociMiddle).toBeLessThan(675);
    // THEN the box asks for the graph's height at that zoom, capped by the window
    expect(graphBoxHeight(l)).toMatch(/^min\(\d+px, max\(300px, 75vh\)\)$/);
  });
});
