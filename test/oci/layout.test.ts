import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  createLayoutRegistry,
  createRegistryClient,
  DEFAULT_LAYOUT_HOST,
  MEDIA_TYPES,
  ociImageSource,
  parseImageConfig,
  writeLayoutImage,
} from '@gantry/oci';
import { hasTool, startRegistry, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { contextWith, day, rejection } from './helpers.js';

const run = promisify(execFile);

describe('OCI image-layout registry', () => {
  it('GIVEN two versions written under one tag WHEN resolved THEN the tag moves and the old digest still resolves', async () => {
    await using dir = await tempDir();
    const v1 = await writeLayoutImage(dir.path, 'app', 'latest', { created: day(1), labels: { v: '1' } });
    const { ctx, registries } = contextWith({ sandbox: { layout: dir.path } });
    const source = ociImageSource({ registry: 'sandbox', repository: 'app' });
    expect(await source.read(ctx)).toEqual({
      resource: { kind: 'oci-image', repository: `${DEFAULT_LAYOUT_HOST}/app`, digest: v1, tag: 'latest' },
      setBy: { id: v1, time: day(1) },
    });

    const v2 = await writeLayoutImage(dir.path, 'app', 'latest', { created: day(2), labels: { v: '2' } });
    expect(v2).not.toBe(v1);
    expect((await source.read(ctx)).resource?.digest).toBe(v2);
    const layout = registries.get('sandbox');
    expect(await layout.resolve('app', v1)).toBe(v1);
    expect(await layout.tags('app')).toEqual(['latest']);

    const index = JSON.parse(await readFile(join(dir.path, 'app', 'index.json'), 'utf8'));
    expect(index.manifests).toHaveLength(2);
    expect(index.manifests.filter((m: { annotations?: object }) => m.annotations)).toEqual([
      expect.objectContaining({ digest: v2, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }),
    ]);
  });

  it('GIVEN a written image WHEN its files are inspected THEN it follows the image-layout spec', async () => {
    await using dir = await tempDir();
    const digest = await writeLayoutImage(dir.path, 'team/app', '1.0.0', {
      created: day(3),
      labels: { 'org.opencontainers.image.source': 'sandbox' },
      layers: [{ files: { 'srv/version.txt': '1.0.0\n' } }],
    });
    const root = join(dir.path, 'team', 'app');
    expect(JSON.parse(await readFile(join(root, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const reader = createLayoutRegistry({ layout: dir.path });
    const manifest = await reader.manifest('team/app', '1.0.0');
    if (manifest.kind !== 'manifest') throw new Error('expected an image manifest');
    expect(manifest.digest).toBe(digest);
    expect(manifest.body.config.mediaType).toBe(MEDIA_TYPES.ociConfig);
    const config = parseImageConfig(await reader.blob('team/app', manifest.body.config.digest));
    expect(config).toEqual({ created: day(3), labels: { 'org.opencontainers.image.source': 'sandbox' } });
    // the layer is a real gzip tar: GNU tar lists it, and its diff id is in the config
    const layer = manifest.body.layers[0];
    if (!layer) throw new Error('expected a layer');
    const layerFile = join(root, 'blobs', 'sha256', layer.digest.slice('sha256:'.length));
    const { stdout } = await run('tar', ['-tzf', layerFile]);
    expect(stdout.trim()).toBe('srv/version.txt');
    const rawConfig = JSON.parse(new TextDecoder().decode(await reader.blob('team/app', manifest.body.config.digest)));
    const { digestOf } = await import('@gantry/oci');
    expect(rawConfig.rootfs.diff_ids).toEqual([digestOf(gunzipSync(await readFile(layerFile)))]);
  });

  it('GIVEN several tags in a layout WHEN each select runs THEN it picks as on a registry', async () => {
    await using dir = await tempDir();
    await writeLayoutImage(dir.path, 'app', '1.2.0', { created: day(3) });
    const v110 = await writeLayoutImage(dir.path, 'app', '1.10.0', { created: day(1) });
    const b = await writeLayoutImage(dir.path, 'app', 'build-b', { created: day(2) });
    const { ctx } = contextWith({ sandbox: { layout: dir.path, host: 'registry.local/sandbox' } });
    const pick = async (select: Parameters<typeof ociImageSource>[0]['select']) =>
      (await ociImageSource({ registry: 'sandbox', repository: 'app', select }).read(ctx)).resource;
    expect(await pick({ by: 'semver', range: '^1' })).toMatchObject({ tag: '1.10.0', digest: v110 });
    expect(await pick({ by: 'lexical', pattern: '^build-' })).toMatchObject({ tag: 'build-b', digest: b });
    expect(await pick({ by: 'newest' })).toMatchObject({ tag: '1.2.0', repository: 'registry.local/sandbox/app' });
  });

  it('GIVEN a missing tag, repository or a broken index WHEN read THEN typed errors or an empty source', async () => {
    await using dir = await tempDir();
    await writeLayoutImage(dir.path, 'app', 'latest');
    const reader = createLayoutRegistry({ layout: dir.path });
    const missing = await rejection(reader.resolve('app', 'nope'));
    expect(missing.code).toBe('manifest_not_found');
    expect(missing.message).toContain('app:nope');
    expect((await rejection(reader.tags('other'))).code).toBe('repository_not_found');
    await writeFile(join(dir.path, 'app', 'index.json'), '{"schemaVersion": 2, "manifests": [{"digest": 1}]}');
    const broken = await rejection(reader.tags('app'));
    expect(broken.code).toBe('invalid_layout');
    expect(broken.message).toContain('index.json');
    expect((await rejection(reader.blob('app', 'sha256:../../etc/passwd'))).code).toBe('invalid_reference');
  });

  it.skipIf(!hasTool('docker-registry'))(
    'GIVEN a layout image WHEN its blobs and manifest are pushed to the real registry THEN the registry accepts it under the same digest',
    async () => {
      await using dir = await tempDir();
      const digest = await writeLayoutImage(dir.path, 'app', 'latest', { created: day(4) });
      const layout = createLayoutRegistry({ layout: dir.path });
      const manifest = await layout.manifest('app', 'latest');
      if (manifest.kind !== 'manifest') throw new Error('expected an image manifest');
      const registry = await startRegistry();
      try {
        const client = createRegistryClient({ url: registry.url });
        for (const d of [manifest.body.config, ...manifest.body.layers]) {
          await client.pushBlob('app', await layout.blob('app', d.digest));
        }
        const bytes = await readFile(join(dir.path, 'app', 'blobs', 'sha256', digest.slice(7)));
        expect(await client.pushManifest('app', 'latest', new Uint8Array(bytes), manifest.mediaType)).toBe(digest);
        expect(await client.resolve('app', 'latest')).toBe(digest);
      } finally {
        await registry.stop();
      }
    },
  );
});
