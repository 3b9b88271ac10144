import { SourceError } from '@gantry/core';
import type { HttpOptions, RegistryRequest } from './http.js';
import { displayUrl } from './http.js';
import type { Manifest } from './manifest.js';
import { digestOf, parseManifest } from './manifest.js';
import { checkReference, checkRepository, isDigest } from './names.js';
import type { ReadOptions } from './reader.js';
import type { RegistryResponse } from './registry-response.js';

/** The write side of a registry client, used by the sandbox and tests. */
export interface PushSide {
  blobExists(repository: string, digest: string, options?: ReadOptions): Promise<boolean>;
  /** Uploads a blob (POST then a monolithic PUT) unless the registry has it; returns its digest and size. */
  pushBlob(repository: string, bytes: Uint8Array, options?: ReadOptions): Promise<{ digest: string; size: number }>;
  /** PUTs a manifest under a tag (or its digest); returns the manifest's digest. */
  pushManifest(
    repository: string,
    reference: string,
    manifest: Uint8Array | object,
    mediaType: string,
    options?: ReadOptions,
  ): Promise<string>;
}

export interface PushDeps {
  readonly http: HttpOptions;
  readonly request: (req: RegistryRequest) => Promise<RegistryResponse>;
  readonly fail: (res: RegistryResponse, url: URL, what: string, context: Record<string, unknown>) => Promise<never>;
  readonly v2: (path: string) => URL;
  readonly name: string;
  readonly host: string;
  readonly manifests: Map<string, Manifest>;
}

export function createPushSide(d: PushDeps): PushSide {
  const scope = (repository: string) => `repository:${repository}:pull,push`;

  const blobExists = async (repository: string, digest: string, o?: ReadOptions) => {
    checkRepository(repository);
    checkReference(repository, digest);
    const url = d.v2(`${repository}/blobs/${digest}`);
    const res = await d.request({ method: 'HEAD', url, scope: scope(repository), signal: o?.signal });
    await res.body?.cancel();
    if (res.status === 404) return false;
    if (!res.ok) return d.fail(res, url, `blob ${digest} of ${repository}`, { repository, digest });
    return true;
  };

  return {
    blobExists,

    async pushBlob(repository, bytes, o) {
      const digest = digestOf(bytes);
      const size = bytes.byteLength;
      if (await blobExists(repository, digest, o)) return { digest, size };
      const start = d.v2(`${repository}/blobs/uploads/`);
      const opened = await d.request({ method: 'POST', url: start, scope: scope(repository), signal: o?.signal });
      await opened.body?.cancel();
      if (opened.status !== 202) return d.fail(opened, start, `an upload to ${repository}`, { repository });
      const location = opened.headers.get('location');
      if (!location) {
        throw new SourceError('registry_error', `registry ${d.name} opened an upload without a Location`, {
          registry: d.name,
          repository,
        });
      }
      const url = new URL(location, start);
      url.searchParams.set('digest', digest);
      // An upload URL on another origin (object storage) gets no registry credentials.
      const sameOrigin = url.origin === start.origin;
      const res = await d.request({
        method: 'PUT',
        url,
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
        ...(sameOrigin ? { scope: scope(repository) } : {}),
        signal: o?.signal,
      });
      await res.body?.cancel().catch(() => {});
      if (res.status !== 201) {
        return d.fail(res, url, `the upload of blob ${digest} to ${repository}`, { repository, digest });
      }
      return { digest, size };
    },

    async pushManifest(repository, reference, manifest, mediaType, o) {
      checkRepository(repository);
      checkReference(repository, reference);
      const bytes = manifest instanceof Uint8Array ? manifest : new TextEncoder().encode(JSON.stringify(manifest));
      const digest = digestOf(bytes);
      if (isDigest(reference) && reference !== digest) {
        throw new SourceError('digest_mismatch', `manifest pushed as ${reference} has digest ${digest}`, {
          repository,
          reference,
        });
      }
      const url = d.v2(`${repository}/manifests/${reference}`);
      const res = await d.request({
        method: 'PUT',
        url,
        headers: { 'content-type': mediaType },
        body: bytes,
        scope: scope(repository),
        signal: o?.signal,
      });
      if (res.status !== 201) {
        return d.fail(res, url, `manifest ${repository}:${reference} (${displayUrl(url)})`, { repository, reference });
      }
      await res.body?.cancel();
      d.manifests.set(digest, parseManifest(bytes, digest, mediaType, { repository, reference }));
      return digest;
    },
  };
}
