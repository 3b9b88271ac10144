import { NotFoundError } from '@gantry/core';
import type { TagSelect } from '@gantry/oci';
import { ociChartSource, ociImageSource } from '@gantry/oci';
import type { TestRegistry } from '@gantry/testing';
import { hasTool, pushTestChart, pushTestImage, startRegistry } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextWith, day, rejection } from './helpers.js';

describe.skipIf(!hasTool('docker-registry'))('OCI sources against a real docker-registry', () => {
  let registry: TestRegistry;
  const digests: Record<string, string> = {};
  // creation order differs from both semver and string order, so each select picks a different tag
  const images: [tag: string, created: Date][] = [
    ['1.2.0', day(1)],
    ['1.10.0', day(2)],
    ['2.0.0-rc.1', day(3)],
    ['main-20240105', day(6)],
    ['main-20240110', day(4)],
    ['latest', day(5)],
  ];
  beforeAll(async () => {
    registry = await startRegistry();
    for (const [tag, created] of images) {
      digests[tag] = await pushTestImage(registry.url, 'team/app', tag, { created, labels: { tag } });
    }
  });
  afterAll(() => registry?.stop());

  const read = (select: TagSelect) => {
    const { ctx } = contextWith({ sandbox: { url: registry.url } });
    return ociImageSource({ registry: 'sandbox', repository: 'team/app', select }).read(ctx);
  };

  it.each([
    [{ by: 'tag', tag: 'latest' }, 'latest'],
    [{ by: 'semver', range: '^1.2' }, '1.10.0'],
    [{ by: 'semver', range: '>=1.0.0', includePrerelease: true }, '2.0.0-rc.1'],
    [{ by: 'lexical', pattern: '^main-' }, 'main-20240110'],
    [{ by: 'newest' }, 'main-20240105'],
    [{ by: 'newest', pattern: '^\\d' }, '2.0.0-rc.1'],
  ] as [TagSelect, string][])(
    'GIVEN tags of one repository WHEN selected by %o THEN %s is chosen',
    async (select, tag) => {
      const created = images.find(([t]) => t === tag)?.[1];
      expect(await read(select)).toEqual({
        resource: { kind: 'oci-image', repository: `${registry.host}/team/app`, digest: digests[tag], tag },
        setBy: { id: digests[tag], time: created },
      });
    },
  );

  it('GIVEN a tag that was moved WHEN the source reads again THEN it follows the new digest', async () => {
    await pushTestImage(registry.url, 'team/moving', 'stable', { created: day(1) });
    const { ctx } = contextWith({ sandbox: { url: registry.url } });
    const source = ociImageSource({
      registry: 'sandbox',
      repository: 'team/moving',
      select: { by: 'tag', tag: 'stable' },
    });
    const moved = await pushTestImage(registry.url, 'team/moving', 'stable', { created: day(2) });
    expect((await source.read(ctx)).resource?.digest).toBe(moved);
  });

  it('GIVEN a tag not pushed yet or no tag in range WHEN read THEN the source holds nothing (empty, not an error)', async () => {
    expect(await read({ by: 'tag', tag: 'not-yet' })).toEqual({ resource: undefined });
    expect(await read({ by: 'semver', range: '^9' })).toEqual({ resource: undefined });
    const { ctx } = contextWith({ sandbox: { url: registry.url } });
    expect(await ociImageSource({ registry: 'sandbox', repository: 'team/none' }).read(ctx)).toEqual({
      resource: undefined,
    });
  });

  it('GIVEN 200 phases reading one tag at once WHEN read together THEN the registry sees one request', async () => {
    const { ctx, registries } = contextWith({ sandbox: { url: registry.url } });
    const source = ociImageSource({
      registry: 'sandbox',
      repository: 'team/app',
      select: { by: 'tag', tag: 'latest' },
    });
    await source.read(ctx);
    const warm = registries.stats().requests;
    const all = await Promise.all(Array.from({ length: 200 }, () => source.read(ctx)));
    expect(new Set(all.map((o) => o.resource?.digest))).toEqual(new Set([digests.latest]));
    expect(registries.stats().requests - warm).toBe(1);
  });

  it('GIVEN an unknown registry name WHEN read THEN NotFoundError lists the known registries', async () => {
    const { ctx } = contextWith({ sandbox: { url: registry.url } });
    const e = await rejection(ociImageSource({ registry: 'nope', repository: 'team/app' }).read(ctx));
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.message).toContain('known: sandbox');
  });

  it('GIVEN sources WHEN described THEN they read as in status output and name what they watch', () => {
    expect(
      ociChartSource({ registry: 'r', repository: 'charts/app', select: { by: 'semver', range: '^1' } }).subject,
    ).toEqual({ kind: 'oci', registry: 'r', repository: 'charts/app' });
    expect(ociImageSource({ registry: 'sandbox', repository: 'app' }).describe()).toBe('oci sandbox/app:latest');
    expect(
      ociImageSource({ registry: 'sandbox', repository: 'app', select: { by: 'semver', range: '^1.2' } }).describe(),
    ).toBe('oci sandbox/app semver ^1.2');
  });

  it('GIVEN Helm charts pushed as OCI artifacts WHEN a chart source selects by semver THEN the version is the tag', async () => {
    for (const v of ['1.0.0', '1.1.0+build.7', '2.0.0']) await pushTestChart(registry.url, 'charts/app', v);
    const { ctx } = contextWith({ sandbox: { url: registry.url } });
    const observed = await ociChartSource({
      registry: 'sandbox',
      repository: 'charts/app',
      select: { by: 'semver', range: '^1' },
    }).read(ctx);
    expect(observed.resource).toEqual({
      kind: 'helm-chart',
      name: 'app',
      version: '1.1.0+build.7',
      repository: `oci://${registry.host}/charts/app`,
    });
    expect(observed.setBy?.id).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(observed.setBy?.time).toBeInstanceOf(Date);
  });

  it('GIVEN an image repository WHEN read as a chart THEN not_a_helm_chart', async () => {
    const { ctx } = contextWith({ sandbox: { url: registry.url } });
    const source = ociChartSource({
      registry: 'sandbox',
      repository: 'team/app',
      select: { by: 'tag', tag: 'latest' },
    });
    expect((await rejection(source.read(ctx))).code).toBe('not_a_helm_chart');
  });
});
