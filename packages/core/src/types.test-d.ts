import { describe, expectTypeOf, it } from 'vitest';
import { pipeline } from './pipeline.js';
import type { HelmChart, OciImage } from './resource.js';
import { helmChart, ociImage } from './resource.js';
import type { FileUpdater, ReadOnlySource, ReadWriteSource, Source } from './source.js';

declare const imageTag: ReadOnlySource<OciImage>;
declare const imageFile: ReadWriteSource<OciImage>;
declare const chartRepo: ReadOnlySource<HelmChart>;
declare const chartFile: ReadWriteSource<HelmChart>;

describe('pipelines as code are type-checked', () => {
  it('GIVEN an image pipeline THEN image sources fit and phases chain', () => {
    const app = pipeline({ name: 'app', resource: ociImage });
    const oci = app.phase('oci', { source: imageTag });
    const staging = app.phase('staging', { promotesFrom: oci, source: imageFile });
    app.phase('production', { promotesFrom: [staging], source: imageFile });
    expectTypeOf(imageFile).toExtend<Source<OciImage>>();
  });

  it('GIVEN a read-only source THEN it cannot be promoted into', () => {
    const app = pipeline({ name: 'app', resource: ociImage });
    const oci = app.phase('oci', { source: imageTag });
    // @ts-expect-error a registry tag is read-only: a phase with promotesFrom needs a ReadWriteSource
    app.phase('mirror', { promotesFrom: oci, source: imageTag });
  });

  it('GIVEN an image pipeline THEN a chart source does not compile', () => {
    const app = pipeline({ name: 'app', resource: ociImage });
    // @ts-expect-error a source of Helm charts cannot read an OCI image
    app.phase('charts', { source: chartRepo });
    const oci = app.phase('oci', { source: imageTag });
    // @ts-expect-error a file written with Helm charts cannot take an OCI image
    app.phase('staging', { promotesFrom: oci, source: chartFile });
  });

  it('GIVEN two pipelines of different resources THEN phases cannot cross', () => {
    const charts = pipeline({ name: 'charts', resource: helmChart });
    const repo = charts.phase('repo', { source: chartRepo });
    const app = pipeline({ name: 'app', resource: ociImage });
    // @ts-expect-error a chart phase cannot be the upstream of an image phase
    app.phase('staging', { promotesFrom: repo, source: imageFile });
  });

  it('GIVEN updaters THEN they are invariant in their resource type', () => {
    expectTypeOf<FileUpdater<OciImage>>().not.toExtend<FileUpdater<HelmChart>>();
    expectTypeOf<ReadWriteSource<OciImage>>().not.toExtend<ReadOnlySource<OciImage>>();
  });
});
