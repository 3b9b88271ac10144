import { readFile } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { SourceError } from '@gantry/core';
import type { RequestCounter } from './http.js';
import type { LayoutRegistryConfig } from './config.js';
import { DEFAULT_LAYOUT_HOST } from './config.js';
import type { LayoutIndex } from './layout-format.js';
import { blobPath, readLayoutIndex, refNameOf, tagOfRefName } from './layout-format.js';
import type { Descriptor, Manifest } from './manifest.js';
import { digestOf, parseManifest } from './manifest.js';
import { checkReference, checkRepository, isDigest, refName } from './names.js';
import type { RegistryReader } from './reader.js';
import { filterReferrers } from './referrers.js';

/** A directory of OCI image layouts, one per repository at `<dir>/<repository>/`, read like a registry. */
export interface LayoutRegistry extends RegistryReader {
  readonly kind: 'layout';
  readonly dir: string;
}

export interface LayoutRegistryOptions {
  readonly name?: string;
  /** Counts file reads, as a remote registry counts requests. */
  readonly counter?: RequestCounter;
}

export function createLayoutRegistry(
  config: LayoutRegistryConfig,
  options: LayoutRegistryOptions = {},
): LayoutRegistry {
  const dir = resolvePath(config.layout);
  const host = config.host ?? DEFAULT_LAYOUT_HOST;
  const name = options.name ?? host;
  const counter = options.counter ?? { requests: 0 };
  const root = (repository: string) => join(dir, checkRepository(repository));

  const index = async (repository: string): Promise<LayoutIndex> => {
    counter.requests++;
    const found = await readLayoutIndex(root(repository));
    if (!found) {
      throw new SourceError('repository_not_found', `repository ${host}/${repository} not found in layout ${dir}`, {
        registry: name,
        repository,
        path: root(repository),
      });
    }
    return found;
  };

  const readBlob = async (repository: string, digest: string): Promise<Uint8Array> => {
    counter.requests++;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(blobPath(root(repository), digest)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      throw new SourceError('blob_not_found', `blob ${digest} not found in ${host}/${repository} (layout ${dir})`, {
        registry: name,
        repository,
        digest,
      });
    }
    if (digest.startsWith('sha256:') && digestOf(bytes) !== digest) {
      throw new SourceError('digest_mismatch', `blob ${digest} of ${repository} does not match its digest`, {
        registry: name,
        repository,
        digest,
      });
    }
    return bytes;
  };

  const notFound = (repository: string, reference: string) =>
    new SourceError('manifest_not_found', `${host}/${refName(repository, reference)} not found in layout ${dir}`, {
      registry: name,
      repository,
      reference,
    });

  const lookup = async (repository: string, reference: string) => {
    checkReference(repository, reference);
    const idx = await index(repository);
    const entry = isDigest(reference)
      ? idx.manifests.find((m) => m.digest === reference)
      : idx.manifests.findLast((m) => {
          const ref = refNameOf(m);
          return ref !== undefined && tagOfRefName(ref) === reference;
        });
    return { idx, entry };
  };

  const manifest = async (repository: string, reference: string): Promise<Manifest> => {
    const { entry } = await lookup(repository, reference);
    if (!entry && !isDigest(reference)) throw notFound(repository, reference);
    const digest = entry?.digest ?? reference;
    let bytes: Uint8Array;
    try {
      bytes = await readBlob(repository, digest);
    } catch (e) {
      if (e instanceof SourceError && e.code === 'blob_not_found') throw notFound(repository, reference);
      throw e;
    }
    return parseManifest(bytes, digest, entry?.mediaType, { registry: name, repository, reference });
  };

  return {
    kind: 'layout',
    // every read looks at the files as they are now: nothing to forget
    changed() {},
    name,
    host,
    dir,
    location: dir,
    async resolve(repository, reference) {
      const { entry } = await lookup(repository, reference);
      if (entry) return entry.digest;
      // A digest outside index.json still resolves when its manifest blob is there.
      if (isDigest(reference)) return (await manifest(repository, reference)).digest;
      throw notFound(repository, reference);
    },
    manifest: (repository, reference) => manifest(repository, reference),
    blob: (repository, digest) => readBlob(repository, digest),
    async tags(repository) {
      const idx = await index(repository);
      const tags = idx.manifests.map((m) => refNameOf(m)).flatMap((r) => (r ? [tagOfRefName(r) ?? []].flat() : []));
      return [...new Set(tags)];
    },
    async referrers(repository, digest, o): Promise<Descriptor[]> {
      checkReference(repository, digest);
      const idx = await index(repository);
      const found: Descriptor[] = [];
      for (const entry of idx.manifests) {
        const m = await manifest(repository, entry.digest);
        if (m.body.subject?.digest !== digest) continue;
        const artifactType =
          m.body.artifactType ?? (m.kind === 'manifest' ? m.body.config.mediaType : undefined) ?? undefined;
        found.push({
          mediaType: m.mediaType,
          digest: m.digest,
          size: entry.size,
          ...(artifactType ? { artifactType } : {}),
          ...(m.body.annotations ? { annotations: m.body.annotations } : {}),
        });
      }
      return filterReferrers(found, o?.artifactType);
    },
  };
}
