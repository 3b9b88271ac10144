import { SourceError } from '@gantry/core';
import type { Manifest } from './manifest.js';
import { parseImageConfig } from './manifest.js';
import { ANNOTATIONS, MEDIA_TYPES } from './media-types.js';
import type { RegistryReader } from './reader.js';
import type { TagSelect } from './select.js';
import { filterTags, pickLexical, pickNewest, pickSemver } from './select.js';

const IMAGE_CONFIG_TYPES = new Set<string>([MEDIA_TYPES.ociConfig, MEDIA_TYPES.dockerConfig]);
/** Reading creation times of many tags: a few at a time, not hundreds of requests at once. */
const CONCURRENCY = 8;

const parseDate = (text: string | undefined): Date | undefined => {
  const d = text ? new Date(text) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
};

/**
 * When the image at `digest` was created: its config's `created`, else the manifest's
 * `org.opencontainers.image.created` annotation. For an index, its own annotation or
 * its first platform image (attestation entries skipped). `undefined` when none says.
 */
export async function imageCreated(
  registry: RegistryReader,
  repository: string,
  digest: string,
  signal?: AbortSignal,
): Promise<Date | undefined> {
  return createdOf(registry, repository, await registry.manifest(repository, digest, { signal }), signal);
}

/** `imageCreated` of a manifest already read. */
async function createdOf(
  registry: RegistryReader,
  repository: string,
  m: Manifest,
  signal?: AbortSignal,
  depth = 0,
): Promise<Date | undefined> {
  const annotated = parseDate(m.body.annotations?.[ANNOTATIONS.created]);
  if (m.kind === 'index') {
    if (annotated || depth > 0) return annotated;
    const first = m.body.manifests.find((d) => d.platform?.os !== 'unknown');
    return first
      ? createdOf(
          registry,
          repository,
          await registry.manifest(repository, first.digest, { signal }),
          signal,
          depth + 1,
        )
      : undefined;
  }
  if (!IMAGE_CONFIG_TYPES.has(m.body.config.mediaType)) return annotated;
  const config = parseImageConfig(await registry.blob(repository, m.body.config.digest, { signal }), { repository });
  return config.created ?? annotated;
}

async function mapLimited<T, U>(items: readonly T[], fn: (item: T) => Promise<U>): Promise<U[]> {
  const out: U[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}

const isAbsent = (e: unknown) =>
  e instanceof SourceError && (e.code === 'manifest_not_found' || e.code === 'repository_not_found');

/**
 * A tag's digest and its image's creation time from one GET of the tag's manifest (and its
 * config blob, which images built alike share): a phase's first read, which needs both, asks
 * once instead of a HEAD for the digest and a GET of the same manifest by digest.
 * `undefined` when the repository or the tag does not exist (yet).
 */
export async function readTag(
  registry: RegistryReader,
  repository: string,
  tag: string,
  signal?: AbortSignal,
): Promise<{ digest: string; created: Date | undefined } | undefined> {
  try {
    const m = await registry.manifest(repository, tag, { signal });
    return { digest: m.digest, created: await createdOf(registry, repository, m, signal) };
  } catch (e) {
    if (isAbsent(e)) return undefined;
    throw e;
  }
}

/** The tag and digest a select picks now; `undefined` when the repository holds no match (yet). */
export async function chooseTag(
  registry: RegistryReader,
  repository: string,
  select: TagSelect,
  signal?: AbortSignal,
): Promise<{ tag: string; digest: string; created?: Date } | undefined> {
  try {
    if (select.by === 'tag') {
      return { tag: select.tag, digest: await registry.resolve(repository, select.tag, { signal }) };
    }
    const tags = await registry.tags(repository, { signal });
    if (select.by === 'newest') {
      const seen = await mapLimited(filterTags(tags, select.pattern), async (tag) => {
        const digest = await registry.resolve(repository, tag, { signal });
        const created = await imageCreated(registry, repository, digest, signal);
        return { tag, digest, ...(created ? { created } : {}) };
      });
      const tag = pickNewest(seen);
      return seen.find((s) => s.tag === tag);
    }
    const tag =
      select.by === 'semver'
        ? pickSemver(tags, select.range, select.includePrerelease)
        : pickLexical(tags, select.pattern);
    if (tag === undefined) return undefined;
    return { tag, digest: await registry.resolve(repository, tag, { signal }) };
  } catch (e) {
    if (isAbsent(e)) return undefined;
    throw e;
  }
}
