import { buildImage, createRegistryClient, MANIFEST_ACCEPT, MEDIA_TYPES, parseImageConfig } from '@gantry/oci';
import type { TestRegistry } from '@gantry/testing';
import { hasTool, pushTestImage, startRegistry } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextWith, day, rejection } from './helpers.js';
import { startRegistryProxy } from './registry-proxy.js';

describe.skipIf(!hasTool('docker-registry'))('registry client against a real docker-registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(() => registry?.stop());

  it('GIVEN a pushed image WHEN its tag is resolved THEN the digest is the one pushed, by HEAD alone', async () => {
    const pushed = await pushTestImage(registry.url, 'team/app', 'latest', { created: day(3), labels: { a: 'b' } });
    const { registries } = contextWith({ local: { url: registry.url } });
    const client = registries.get('local');
    expect(await client.resolve('team/app', 'latest')).toBe(pushed);
    expect(registries.stats().requests).toBe(1);

    const manifest = await client.manifest('team/app', 'latest');
    expect(manifest).toMatchObject({ kind: 'manifest', digest: pushed, mediaType: MEDIA_TYPES.ociManifest });
    if (manifest.kind !== 'manifest') throw new Error('expected an image manifest');
    const config = parseImageConfig(await client.blob('team/app', manifest.body.config.digest));
    expect(config).toEqual({ created: day(3), labels: { a: 'b' } });
  });

  it('GIVEN a Docker schema 2 image WHEN resolved and read THEN the Accept list lets the registry serve it', async () => {
    const pushed = await pushTestImage(registry.url, 'team/docker', 'v1', { format: 'docker' });
    const client = createRegistryClient({ url: registry.url });
    expect(MANIFEST_ACCEPT).toContain(MEDIA_TYPES.dockerManifest);
    expect(await client.resolve('team/docker', 'v1')).toBe(pushed);
    expect((await client.manifest('team/docker', pushed)).mediaType).toBe(MEDIA_TYPES.dockerManifest);
  });

  it('GIVEN the real registry WHEN asked for n=2 tags THEN it ignores n (Distribution 2.8), and the client still gets all', async () => {
    for (const tag of ['u1', 'u2', 'u3']) await pushTestImage(registry.url, 'team/unpaged', tag);
    const { registries } = contextWith({ local: { url: registry.url } });
    expect([...(await registries.get('local').tags('team/unpaged', { pageSize: 2 }))].sort()).toEqual([
      'u1',
      'u2',
      'u3',
    ]);
    expect(registries.stats().requests).toBe(1);
  });

  it('GIVEN 5 tags behind a spec-paginating proxy WHEN listed with n=2 THEN the Link pages are followed in 3 requests', async () => {
    const tags = ['t1', 't2', 't3', 't4', 't5'];
    for (const [i, tag] of tags.entries()) {
      await pushTestImage(registry.url, 'team/paged', tag, { created: day(i + 1) });
    }
    const proxy = await startRegistryProxy(registry.url, { paginateTags: true });
    try {
      const { registries } = contextWith({ paged: { url: proxy.url } });
      expect(await registries.get('paged').tags('team/paged', { pageSize: 2 })).toEqual(tags);
      expect(registries.stats().requests).toBe(3);
    } finally {
      await proxy.stop();
    }
  });

  it('GIVEN a registry that sends no Docker-Content-Digest WHEN a tag is resolved THEN the digest is the sha256 of the GET body', async () => {
    const pushed = await pushTestImage(registry.url, 'team/nodigest', 'v1', { created: day(7) });
    const proxy = await startRegistryProxy(registry.url, { dropHeaders: ['docker-content-digest'] });
    try {
      const { registries } = contextWith({ bare: { url: proxy.url } });
      expect(await registries.get('bare').resolve('team/nodigest', 'v1')).toBe(pushed);
      expect(registries.stats().requests).toBe(2);
    } finally {
      await proxy.stop();
    }
  });

  it('GIVEN a manifest whose blobs were never uploaded WHEN pushed THEN registry_error carries the status and code', async () => {
    const client = createRegistryClient({ url: registry.url });
    const image = buildImage('team/broken:1');
    const e = await rejection(client.pushManifest('team/broken', '1', image.manifest.bytes, MEDIA_TYPES.ociManifest));
    expect(e.code).toBe('registry_error');
    expect(e.message).toMatch(/HTTP 400 .*MANIFEST_BLOB_UNKNOWN/);
    expect(e.context).toMatchObject({ status: 400 });
  });

  it('GIVEN a tag that was never pushed WHEN resolved THEN manifest_not_found names repository:tag', async () => {
    await pushTestImage(registry.url, 'team/app', 'present');
    const client = createRegistryClient({ url: registry.url });
    const e = await rejection(client.resolve('team/app', 'nope'));
    expect(e.code).toBe('manifest_not_found');
    expect(e.message).toContain('team/app:nope');
    expect((await rejection(client.manifest('team/app', 'nope'))).code).toBe('manifest_not_found');
  });

  it('GIVEN a repository that does not exist WHEN its tags are listed THEN repository_not_found', async () => {
    const e = await rejection(createRegistryClient({ url: registry.url }).tags('team/never'));
    expect(e.code).toBe('repository_not_found');
    expect(e.message).toContain('team/never');
  });

  it('GIVEN a manifest read by a digest WHEN read twice THEN the second read is served from the cache', async () => {
    const pushed = await pushTestImage(registry.url, 'team/cached', '1', { created: day(9) });
    const { registries } = contextWith({ local: { url: registry.url } });
    const client = registries.get('local');
    await client.manifest('team/cached', pushed);
    await client.manifest('team/cached', pushed);
    expect(registries.stats().requests).toBe(1);
  });

  it('GIVEN a signature stored under the referrers tag schema WHEN referrers are asked THEN the fallback finds it', async () => {
    const client = createRegistryClient({ url: registry.url });
    const image = buildImage('team/signed:1.0.0');
    for (const b of image.blobs) await client.pushBlob('team/signed', b.bytes);
    const subject = await client.pushManifest('team/signed', '1.0.0', image.manifest.bytes, MEDIA_TYPES.ociManifest);
    expect(await client.referrers('team/signed', subject)).toEqual([]);

    const sigType = 'application/vnd.dev.gantry.test.signature';
    const empty = await client.pushBlob('team/signed', new TextEncoder().encode('{}'));
    const sig = await client.pushBlob('team/signed', new TextEncoder().encode('signed'));
    const subjectDescriptor = image.manifest.descriptor;
    const signature = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      artifactType: sigType,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', ...empty },
      layers: [{ mediaType: 'application/octet-stream', ...sig }],
      subject: subjectDescriptor,
    };
    const sigBytes = new TextEncoder().encode(JSON.stringify(signature));
    const sigDigest = await client.pushManifest('team/signed', 'sig', sigBytes, MEDIA_TYPES.ociManifest);
    const index = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [
        { mediaType: MEDIA_TYPES.ociManifest, digest: sigDigest, size: sigBytes.byteLength, artifactType: sigType },
      ],
    };
    await client.pushManifest('team/signed', subject.replace(':', '-'), index, MEDIA_TYPES.ociIndex);

    const found = await client.referrers('team/signed', subject);
    expect(found.map((d) => d.digest)).toEqual([sigDigest]);
    expect(await client.referrers('team/signed', subject, { artifactType: 'other/type' })).toEqual([]);
  });

  it('GIVEN a stopped registry WHEN a tag is resolved THEN registry_unreachable names the URL', async () => {
    const gone = await startRegistry();
    await gone.stop();
    const e = await rejection(createRegistryClient({ url: gone.url }).resolve('team/app', 'latest'));
    expect(e.code).toBe('registry_unreachable');
    expect(e.message).toContain(`${gone.url}/v2/team/app/manifests/latest`);
  });

  it('GIVEN a registry that accepts but never answers WHEN the timeout passes THEN registry_timeout says so', async () => {
    const { createServer } = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    try {
      const client = createRegistryClient({ url: `http://127.0.0.1:${port}`, timeout: { ms: 200 } });
      const e = await rejection(client.resolve('team/app', 'latest'));
      expect(e.code).toBe('registry_timeout');
      expect(e.message).toContain('timed out after 200 ms');
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});
