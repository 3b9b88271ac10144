import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServices, silentLogger } from '@gantry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { ociImageSource } from './image-source.js';
import { withCachedReads } from './read-session.js';
import { createRegistries, ociRegistriesKey } from './registries.js';

/** More image repositories than the client's caches once held (2,000), so a cache cap shows. */
const REPOSITORIES = 2_100;

const sha = (b: string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const CONFIG = JSON.stringify({ created: '2024-01-02T03:04:05Z', architecture: 'amd64', os: 'linux' });

/** What a Distribution registry answers for manifests and blobs, with ETags and 304s as Distribution gives them. */
function manifestOf(repository: string): { body: string; digest: string } {
  const body = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(CONFIG), size: CONFIG.length },
    layers: [],
    annotations: { repository },
  });
  return { body, digest: sha(body) };
}

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

async function startDistribution(): Promise<{ url: string; seen: Seen[]; server: Server; connections: () => number }> {
  const seen: Seen[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    if (path.startsWith('/v2/moved/')) {
      seen.push({ method: req.method ?? '', path, status: 307 });
      res.writeHead(307, { location: path.replace('/v2/moved/', '/v2/svc-0/') });
      return res.end();
    }
    const answer = (status: number, headers: Record<string, string> = {}, body?: string) => {
      seen.push({ method: req.method ?? '', path, status });
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const blob = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]+)$/.exec(path);
    if (blob) return blob[2] === sha(CONFIG) ? answer(200, {}, CONFIG) : answer(404);
    const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (!m) return answer(404);
    const manifest = manifestOf(m[1] as string);
    if (m[2] !== 'latest' && m[2] !== manifest.digest) return answer(404);
    const etag = `"${manifest.digest}"`;
    const headers = {
      'content-type': 'application/vnd.oci.image.manifest.v1+json',
      'docker-content-digest': manifest.digest,
      etag,
    };
    if (req.headers['if-none-match'] === etag) return answer(304, headers);
    return answer(200, { ...headers, 'content-length': String(Buffer.byteLength(manifest.body)) }, manifest.body);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    server,
    connections: () => connections,
  };
}

describe('registry caches at fleet size', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    server = undefined;
  });

  it(`GIVEN ${REPOSITORIES} image phases (more than 2,000) WHEN a reconcile reads them again after a push webhook expired every tag THEN each tag is asked once, conditionally, and answered 304, and no manifest is fetched again`, async () => {
    const registry = await startDistribution();
    server = registry.server;
    const registries = createRegistries({
      registries: { fleet: { url: registry.url, limits: { requestsPerSecond: 100_000, concurrency: 32 } } },
      logger: silentLogger,
    });
    const services = createServices();
    services.set(ociRegistriesKey, registries);
    const ctx = { services, logger: silentLogger };
    const repositories = Array.from({ length: REPOSITORIES }, (_, i) => `svc-${i}`);
    const sources = repositories.map((repository) => ociImageSource({ registry: 'fleet', repository }));
    const round = () => withCachedReads(() => Promise.all(sources.map((s) => s.read(ctx))));

    const first = await round();
    expect(first.map((r) => r.resource?.digest)).toEqual(repositories.map((r) => manifestOf(r).digest));
    expect(first[0]?.setBy?.time).toEqual(new Date('2024-01-02T03:04:05Z'));
    const before = registry.seen.length;

    for (const r of repositories) registries.changed(r);
    const again = await round();

    const asked = registry.seen.slice(before);
    expect(again.map((r) => r.resource?.digest)).toEqual(first.map((r) => r.resource?.digest));
    expect(again.map((r) => r.setBy?.time?.toISOString())).toEqual(first.map((r) => r.setBy?.time?.toISOString()));
    expect(asked).toHaveLength(REPOSITORIES);
    expect(new Set(asked.map((s) => s.path)).size).toBe(REPOSITORIES);
    expect(asked.every((s) => s.method === 'HEAD' && s.status === 304)).toBe(true);
  }, 120_000);

  it('GIVEN 300 image phases never read WHEN they are first observed together THEN each tag is asked once, by one GET of its manifest, and the config their images share is fetched once', async () => {
    const registry = await startDistribution();
    server = registry.server;
    const registries = createRegistries({
      registries: { fleet: { url: registry.url, limits: { requestsPerSecond: 100_000, concurrency: 16 } } },
      logger: silentLogger,
    });
    const services = createServices();
    services.set(ociRegistriesKey, registries);
    const ctx = { services, logger: silentLogger };
    const repositories = Array.from({ length: 300 }, (_, i) => `svc-${i}`);
    const sources = repositories.map((repository) => ociImageSource({ registry: 'fleet', repository }));

    const first = await withCachedReads(() => Promise.all(sources.map((s) => s.read(ctx))));

    expect(first.map((r) => r.resource?.digest)).toEqual(repositories.map((r) => manifestOf(r).digest));
    expect(first.every((r) => r.setBy?.time?.toISOString() === '2024-01-02T03:04:05.000Z')).toBe(true);
    const manifests = registry.seen.filter((s) => s.path.includes('/manifests/'));
    expect(manifests.map((s) => `${s.method} ${s.path}`).sort()).toEqual(
      repositories.map((r) => `GET /v2/${r}/manifests/latest`).sort(),
    );
    expect(registry.seen.filter((s) => s.path.includes('/blobs/'))).toHaveLength(1);
    expect(registries.stats().requests).toBe(301);
  }, 60_000);

  it('GIVEN a registry WHEN 200 tags are checked (HEAD, 4 at once) THEN they share a few kept-alive connections instead of one each, and a redirected HEAD lands where it points', async () => {
    const registry = await startDistribution();
    server = registry.server;
    const registries = createRegistries({
      registries: { fleet: { url: registry.url, limits: { requestsPerSecond: 100_000, concurrency: 4 } } },
      logger: silentLogger,
    });
    const client = registries.get('fleet');
    const repositories = Array.from({ length: 200 }, (_, i) => `svc-${i}`);
    const digests = await Promise.all(repositories.map((r) => client.resolve(r, 'latest')));
    expect(digests).toEqual(repositories.map((r) => manifestOf(r).digest));
    expect(registry.seen.filter((s) => s.method === 'HEAD')).toHaveLength(200);
    expect(registry.connections()).toBeLessThanOrEqual(8);
    expect(await client.resolve('moved', 'latest')).toBe(manifestOf('svc-0').digest);
  }, 60_000);
});
