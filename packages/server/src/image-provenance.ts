import type { System } from '@gantry/core';
import type { Registries } from '@gantry/oci';
import { parseImageConfig } from '@gantry/oci';
import { imageHome } from './image-home.js';

/** Where an image was built from, as its OCI annotations and labels say. */
export interface ImageProvenance {
  readonly sha: string;
  /** `owner/name` when the source is a GitHub repository. */
  readonly repository?: string;
  /** The source repository's URL. */
  readonly url?: string;
}

const REVISION = 'org.opencontainers.image.revision';
const SOURCE = 'org.opencontainers.image.source';
const GITHUB = /^(?:https?:\/\/|git@)github\.com[/:]([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/;

/**
 * Reads an image's provenance from the registry its pipeline reads: the manifest's
 * annotations, else the config's labels (`org.opencontainers.image.revision` and `.source`,
 * which `docker buildx --label`, GitHub's metadata action and ko write). Undefined when
 * the image names no revision; never throws (a registry down only means "not known").
 */
export function imageProvenance(system: System, registries: Registries) {
  const cache = new Map<string, Promise<ImageProvenance | undefined>>();
  const read = async (pipeline: string, digest: string): Promise<ImageProvenance | undefined> => {
    const subject = imageHome(system, pipeline);
    if (!subject) return undefined;
    const registry = registries.get(subject.registry);
    let manifest = await registry.manifest(subject.repository, digest);
    if (manifest.kind === 'index') {
      const first = manifest.body.manifests[0];
      if (!first) return undefined;
      manifest = await registry.manifest(subject.repository, first.digest);
    }
    if (manifest.kind !== 'manifest') return undefined;
    let found: Readonly<Record<string, string>> = manifest.body.annotations ?? {};
    if (!found[REVISION]) {
      const config = parseImageConfig(await registry.blob(subject.repository, manifest.body.config.digest));
      found = { ...config.labels, ...found };
    }
    const sha = found[REVISION];
    if (!sha || !/^[0-9a-f]{7,64}$/i.test(sha)) return undefined;
    const url = found[SOURCE];
    const gh = url ? GITHUB.exec(url) : null;
    return { sha, ...(url ? { url } : {}), ...(gh ? { repository: `${gh[1]}/${gh[2]}` } : {}) };
  };
  return (pipeline: string, digest: string): Promise<ImageProvenance | undefined> => {
    const key = `${pipeline} ${digest}`;
    let p = cache.get(key);
    if (!p) {
      p = read(pipeline, digest).catch(() => undefined);
      cache.set(key, p);
      if (cache.size > 1000) cache.delete(cache.keys().next().value as string);
    }
    return p;
  };
}
