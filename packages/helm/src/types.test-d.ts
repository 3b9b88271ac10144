import type { HelmChart, ReadWriteSource } from '@gantry/core';
import { helmChart, ociImage, pipeline } from '@gantry/core';
import { describe, it } from 'vitest';
import { helmRepositorySource } from './source.js';

declare const chartFile: ReadWriteSource<HelmChart>;
const podinfo = () => helmRepositorySource({ registry: 'charts', chart: 'podinfo' });

describe('a Helm repository source in pipelines as code', () => {
  it('GIVEN a chart pipeline THEN it is a source phase that Git phases promote from', () => {
    const charts = pipeline({ name: 'podinfo', resource: helmChart });
    const repo = charts.phase('charts', { source: podinfo() });
    charts.phase('production', { promotesFrom: repo, source: chartFile });
  });

  it('GIVEN an image pipeline THEN it does not compile', () => {
    const app = pipeline({ name: 'app', resource: ociImage });
    // @ts-expect-error a source of Helm charts cannot read an OCI image
    app.phase('charts', { source: podinfo() });
  });

  it('GIVEN a promotion into it THEN it does not compile: it is read-only', () => {
    const charts = pipeline({ name: 'podinfo', resource: helmChart });
    const repo = charts.phase('charts', { source: podinfo() });
    // @ts-expect-error a Helm repository is read-only: a phase with promotesFrom needs a ReadWriteSource
    charts.phase('mirror', { promotesFrom: repo, source: podinfo() });
  });

  it('GIVEN a select of another shape THEN it does not compile', () => {
    // @ts-expect-error images select by tag; charts by version, semver or newest
    helmRepositorySource({ registry: 'charts', chart: 'podinfo', select: { by: 'tag', tag: 'latest' } });
  });
});
