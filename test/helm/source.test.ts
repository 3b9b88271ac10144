import { createHash } from 'node:crypto';
import type { HelmChart, Pipeline } from '@gantry/core';
import { definePipeline, helmChart, TargetNotFoundError, verifyTarget } from '@gantry/core';
import type { ChartSelect } from '@gantry/helm';
import { chartArchiveUrl, helmRepositorySource } from '@gantry/helm';
import type { PublishedChart, TestHelmRepository } from '@gantry/testing';
import { hasTool, startHelmRepository } from '@gantry/testing';
import { helmReleaseChart } from '@gantry/updaters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextWith, day, rejection } from './helpers.js';

describe.skipIf(!hasTool('tar'))('Helm repository source against a local chart repository', () => {
  let repo: TestHelmRepository;
  const published: Record<string, PublishedChart> = {};
  // creation order differs from semver order, so each select picks a different version
  const charts: [version: string, created: Date][] = [
    ['1.2.0', day(1)],
    ['1.10.0', day(3)],
    ['1.9.0', day(5)],
    ['2.0.0-rc.1', day(9)],
  ];
  beforeAll(async () => {
    repo = await startHelmRepository();
    for (const [version, created] of charts) {
      published[version] = await repo.publish({ name: 'app', version, appVersion: `v${version}`, created });
    }
    await repo.publish({ name: 'other', version: '0.1.0', created: day(2) });
  });
  afterAll(() => repo?.stop());

  const source = (select?: ChartSelect, chart = 'app') =>
    helmRepositorySource({ registry: 'charts', chart, ...(select ? { select } : {}) });
  const context = () => contextWith({ charts: { url: repo.url } }).ctx;

  it.each([
    [undefined, '1.10.0'],
    [{ by: 'version', version: '1.2.0' }, '1.2.0'],
    [{ by: 'semver', range: '~1.9' }, '1.9.0'],
    [{ by: 'semver', range: '>=1.0.0' }, '1.10.0'],
    [{ by: 'semver', range: '>=1.0.0', includePrerelease: true }, '2.0.0-rc.1'],
    [{ by: 'newest' }, '1.9.0'],
    [{ by: 'newest', includePrerelease: true }, '2.0.0-rc.1'],
  ] as [ChartSelect | undefined, string][])(
    'GIVEN versions of one chart WHEN selected by %o THEN %s is chosen, set by its archive digest and creation time',
    async (select, version) => {
      const observed = await source(select).read(context());
      expect(observed).toEqual({
        resource: { kind: 'helm-chart', name: 'app', version, repository: repo.url },
        setBy: { id: `sha256:${published[version]?.digest}`, time: charts.find(([v]) => v === version)?.[1] },
      });
    },
  );

  it('GIVEN the index WHEN the chosen entry is followed to its archive THEN the digest is the SHA-256 of that archive', async () => {
    const { repositories } = contextWith({ charts: { url: repo.url } });
    const client = repositories.get('charts');
    const entry = (await client.index()).charts.get('app')?.find((v) => v.version === '1.10.0');
    const url = entry && chartArchiveUrl(client.url, entry);
    expect(url).toBe(`${repo.url}/app-1.10.0.tgz`);
    const archive = new Uint8Array(await (await fetch(url as string)).arrayBuffer());
    // a gzip stream, as Helm's archives are
    expect([archive[0], archive[1]]).toEqual([0x1f, 0x8b]);
    expect(entry?.digest).toBe(createHash('sha256').update(archive).digest('hex'));
  });

  it('GIVEN two versions WHEN their identities are compared THEN they differ, and equal the same version read from a HelmRelease', async () => {
    const ctx = context();
    const a = (await source({ by: 'version', version: '1.9.0' }).read(ctx)).resource as HelmChart;
    const b = (await source({ by: 'version', version: '1.10.0' }).read(ctx)).resource as HelmChart;
    expect(helmChart.digest(a)).not.toBe(helmChart.digest(b));
    const release = [
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'metadata:',
      '  name: app',
      'spec:',
      '  chart:',
      '    spec:',
      '      chart: app',
      '      version: 1.10.0',
      '      sourceRef:',
      '        kind: HelmRepository',
      '        name: charts',
      '',
    ].join('\n');
    const inGit = helmReleaseChart().read(release, 'release.yaml') as HelmChart;
    expect(helmChart.digest(inGit)).toBe(helmChart.digest(b));
  });

  it('GIVEN a chart the index does not list WHEN read THEN chart_not_found naming the repository and the charts it has', async () => {
    const e = await rejection(source(undefined, 'ap').read(context()));
    expect(e.code).toBe('chart_not_found');
    expect(e.message).toBe(`Helm repository charts (${repo.url}) has no chart "ap"; charts: app, other`);
  });

  it('GIVEN an exact version not published (yet) or a range nothing satisfies WHEN read THEN the phase is empty', async () => {
    expect(await source({ by: 'version', version: '9.9.9' }).read(context())).toEqual({ resource: undefined });
    expect(await source({ by: 'semver', range: '^3' }).read(context())).toEqual({ resource: undefined });
  });

  describe('explicit versions', () => {
    const pipeline = (): Pipeline<HelmChart> =>
      definePipeline({
        name: 'app',
        resource: helmChart,
        phases: [{ name: 'charts', source: source({ by: 'semver', range: '*' }), promotesFrom: [] }],
      });
    const chart = (version: string, extra: Partial<HelmChart> = {}): HelmChart => ({
      kind: 'helm-chart',
      name: 'app',
      version,
      ...extra,
    });

    it('GIVEN a listed version, a pre-release too WHEN looked up THEN found', async () => {
      const s = source();
      expect(await s.lookupTarget(chart('1.2.0'), context())).toEqual({ kind: 'found' });
      expect(await s.lookupTarget(chart('2.0.0-rc.1', { repository: repo.url }), context())).toEqual({ kind: 'found' });
    });

    it('GIVEN a version the index does not list WHEN verified THEN target_not_found naming target.version', async () => {
      const p = pipeline();
      const e = await rejection(
        verifyTarget(p, p.phases[0] as Pipeline<HelmChart>['phases'][number], chart('1.3.0'), context()),
      );
      expect(e).toBeInstanceOf(TargetNotFoundError);
      expect(e).toMatchObject({ code: 'target_not_found', field: 'target.version' });
      expect(e.message).toBe(`[target.version] Helm repository charts (${repo.url}) has no version 1.3.0 of chart app`);
    });

    it('GIVEN another chart or another repository WHEN looked up THEN foreign, naming the field', async () => {
      const s = source();
      expect(await s.lookupTarget({ ...chart('1.2.0'), name: 'other' }, context())).toMatchObject({
        kind: 'foreign',
        field: 'name',
      });
      expect(await s.lookupTarget(chart('1.2.0', { repository: 'https://charts.example.com' }), context())).toEqual({
        kind: 'foreign',
        field: 'repository',
        expected: repo.url,
      });
    });
  });
});
