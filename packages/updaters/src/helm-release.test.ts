import { UpdaterError } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { helmReleaseChart } from './helm-release.js';
import { lineChanges, thrown } from './test-support.js';

const FILE = 'clusters/staging/podinfo.yaml';

const release = `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: podinfo
spec:
  url: https://stefanprodan.github.io/podinfo
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: default
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      version: '6.5.4'   # pinned by Gantry
      sourceRef:
        kind: HelmRepository
        name: podinfo
  values:
    replicaCount: 2
`;

const chart = helmReleaseChart();

describe('helmReleaseChart', () => {
  it('GIVEN a HelmRelease after its HelmRepository WHEN read THEN chart, version and source are read', () => {
    expect(chart.read(release, FILE)).toEqual({
      kind: 'helm-chart',
      name: 'podinfo',
      version: '6.5.4',
      repository: 'podinfo',
    });
  });

  it('GIVEN a new version WHEN written THEN only the version line changes, with its quotes and comment', () => {
    const after = chart.write(release, { kind: 'helm-chart', name: 'podinfo', version: '6.6.0' }, FILE);
    expect(lineChanges(release, after)).toEqual([
      {
        line: 19,
        before: "      version: '6.5.4'   # pinned by Gantry",
        after: "      version: '6.6.0'   # pinned by Gantry",
      },
    ]);
    expect(chart.read(after, FILE)).toEqual({
      kind: 'helm-chart',
      name: 'podinfo',
      version: '6.6.0',
      repository: 'podinfo',
    });
  });

  it('GIVEN the same version WHEN written THEN the very same string comes back', () => {
    expect(chart.write(release, { kind: 'helm-chart', name: 'podinfo', version: '6.5.4' }, FILE)).toBe(release);
  });

  it('GIVEN another chart name WHEN written THEN the chart line changes too', () => {
    const after = chart.write(release, { kind: 'helm-chart', name: 'podinfo-lite', version: '6.5.4' }, FILE);
    expect(lineChanges(release, after).map((c) => c.after)).toEqual(['      chart: podinfo-lite']);
  });

  it('GIVEN a release without version WHEN read THEN not pinned; WHEN written THEN a version line is added, aligned', () => {
    const unpinned = release.replace("      version: '6.5.4'   # pinned by Gantry\n", '');
    expect(chart.read(unpinned, FILE)).toBeUndefined();
    const after = chart.write(unpinned, { kind: 'helm-chart', name: 'podinfo', version: '6.6.0' }, FILE);
    expect(lineChanges(unpinned, after)).toEqual([{ line: 22, after: '      version: 6.6.0' }]);
  });

  it('GIVEN two HelmReleases WHEN no name is given THEN an error; WHEN named THEN that one is written', () => {
    const two = `${release}---\n${release.slice(4).replaceAll('podinfo', 'redis').replace("'6.5.4'", '18.0.1')}`;
    const e = thrown(() => chart.read(two, FILE));
    expect(e).toBeInstanceOf(UpdaterError);
    expect(e.message).toContain('several HelmReleases (podinfo, redis)');
    const redis = helmReleaseChart({ name: 'redis' });
    expect(redis.read(two, FILE)).toMatchObject({ name: 'redis', version: '18.0.1' });
    const after = redis.write(two, { kind: 'helm-chart', name: 'redis', version: '18.1.0' }, FILE);
    expect(lineChanges(two, after).map((c) => c.after)).toEqual(['      version: 18.1.0   # pinned by Gantry']);
  });

  it('GIVEN a file without HelmRelease WHEN read THEN the error says so and names the path', () => {
    const e = thrown(() => chart.read('kind: HelmRepository\n', FILE));
    expect(e.message).toContain('no HelmRelease; HelmReleases: (none)');
    expect(e.context).toMatchObject({ file: FILE, path: 'spec.chart.spec' });
  });

  it('GIVEN a HelmRelease without chart spec WHEN read THEN the error names what is there', () => {
    const e = thrown(() => chart.read('kind: HelmRelease\nspec:\n  interval: 5m\n', FILE));
    expect(e.message).toContain('line 3: no key "chart" in spec; keys there: interval');
  });

  it('GIVEN a chartRef to an OCIRepository not in the file WHEN read THEN the error says where to point the phase', () => {
    const e = thrown(() =>
      chart.read('kind: HelmRelease\nspec:\n  chartRef: {kind: OCIRepository, name: podinfo}\n', FILE),
    );
    expect(e.message).toContain('takes its chart from OCIRepository "podinfo", which is not in this file');
    expect(e.message).toContain('flux-oci-repository');
  });
});
