import type { System } from '@gantry/core';
import type { Person, SourceCommitFacts } from '@gantry/gates';
import type { Registries, Registry } from '@gantry/oci';
import { imageHome, parseImageConfig } from '@gantry/oci';

/** Where an image was built from, as its OCI annotations and labels say. */
export interface ImageProvenance {
  readonly sha: string;
  /** `owner/name` when the source is a GitHub repository. */
  readonly repository?: string;
  /** The source repository's URL. */
  readonly url?: string;
}

/** Everything an image's labels say about its source commit; any part may be missing. */
export interface ImageSource extends SourceCommitFacts {
  /** The source repository's URL. */
  readonly url?: string;
  /** `owner/name` when the source is a GitHub repository. */
  readonly repository?: string;
}

/**
 * Label or annotation keys naming where an image was built from, per field: tried before
 * the defaults (`registries.<name>.sourceLabels` in gantry.yaml).
 */
export interface SourceLabelKeys {
  readonly revision?: string;
  readonly branch?: string;
  readonly message?: string;
  readonly author?: string;
  readonly committer?: string;
}

/**
 * The keys read when none is configured, first found wins: the OCI standard annotations for
 * the revision and repository; for the rest (which OCI does not define), Gantry's own
 * `dev.gantry.*` labels and those OpenShift builds write (`io.openshift.build.commit.*`);
 * the older label-schema.org keys for the revision and repository.
 */
export const DEFAULT_SOURCE_LABELS = {
  revision: [
    'org.opencontainers.image.revision',
    'io.openshift.build.commit.id',
    'org.label-schema.vcs-ref',
    'vcs-ref',
  ],
  url: ['org.opencontainers.image.source', 'org.label-schema.vcs-url', 'vcs-url'],
  branch: ['dev.gantry.branch', 'io.openshift.build.commit.ref'],
  message: ['dev.gantry.commit.message', 'io.openshift.build.commit.message'],
  author: ['dev.gantry.commit.author', 'io.openshift.build.commit.author'],
  committer: ['dev.gantry.commit.committer'],
} as const;

const GITHUB = /^(?:https?:\/\/|git@)github\.com[/:]([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/;
const SHA = /^[0-9a-f]{7,64}$/i;

/**
 * An image's annotations over its config's labels (an index: its first manifest's), as
 * `docker buildx --label/--annotation`, GitHub's metadata action, ko and OpenShift write them.
 * Throws when the registry cannot be asked.
 */
export async function readImageLabels(
  registry: Registry,
  repository: string,
  digest: string,
): Promise<Readonly<Record<string, string>>> {
  let manifest = await registry.manifest(repository, digest);
  if (manifest.kind === 'index') {
    const first = manifest.body.manifests[0];
    if (!first) return {};
    manifest = await registry.manifest(repository, first.digest);
  }
  if (manifest.kind !== 'manifest') return {};
  const config = parseImageConfig(await registry.blob(repository, manifest.body.config.digest));
  return { ...config.labels, ...(manifest.body.annotations ?? {}) };
}

/** `Name <email>`, a bare email, or a bare name. */
export function parsePerson(text: string): Person | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const m = /^(.*?)\s*<([^<>\s]+)>$/.exec(t);
  if (m) return { ...(m[1] ? { name: m[1] } : {}), email: m[2] as string };
  return t.includes('@') && !/\s/.test(t) ? { email: t } : { name: t };
}

/** What labels say about an image's source, reading configured keys before the defaults. */
export function sourceOfLabels(labels: Readonly<Record<string, string>>, keys: SourceLabelKeys = {}): ImageSource {
  const first = (configured: string | undefined, defaults: readonly string[]): string | undefined => {
    for (const k of configured !== undefined ? [configured, ...defaults] : defaults) {
      const v = labels[k]?.trim();
      if (v) return v;
    }
    return undefined;
  };
  const revision = first(keys.revision, DEFAULT_SOURCE_LABELS.revision);
  const sha = revision && SHA.test(revision) ? revision : undefined;
  const url = first(undefined, DEFAULT_SOURCE_LABELS.url);
  const gh = url ? GITHUB.exec(url) : null;
  const branch = first(keys.branch, DEFAULT_SOURCE_LABELS.branch);
  const message = first(keys.message, DEFAULT_SOURCE_LABELS.message);
  const authorText = first(keys.author, DEFAULT_SOURCE_LABELS.author);
  const committerText = first(keys.committer, DEFAULT_SOURCE_LABELS.committer);
  const author = authorText ? parsePerson(authorText) : undefined;
  const committer = committerText ? parsePerson(committerText) : undefined;
  return {
    ...(sha ? { sha } : {}),
    ...(url ? { url } : {}),
    ...(gh ? { repository: `${gh[1]}/${gh[2]}` } : {}),
    ...(branch ? { branch } : {}),
    ...(message ? { message } : {}),
    ...(author ? { author } : {}),
    ...(committer ? { committer } : {}),
  };
}

/**
 * Reads an image's provenance from the registry its pipeline reads: the manifest's
 * annotations over the config's labels (`org.opencontainers.image.revision` and `.source`,
 * which `docker buildx --label`, GitHub's metadata action and ko write). Undefined when
 * the image names no revision; never throws (a registry down only means "not known").
 */
export function imageProvenance(
  system: System,
  registries: Registries,
  keysOf: (registry: string) => SourceLabelKeys | undefined = () => undefined,
) {
  const cache = new Map<string, Promise<ImageProvenance | undefined>>();
  const read = async (pipeline: string, digest: string): Promise<ImageProvenance | undefined> => {
    const home = imageHome(system, pipeline);
    if (!home) return undefined;
    const labels = await readImageLabels(registries.get(home.registry), home.repository, digest);
    const s = sourceOfLabels(labels, keysOf(home.registry));
    if (!s.sha) return undefined;
    return { sha: s.sha, ...(s.url ? { url: s.url } : {}), ...(s.repository ? { repository: s.repository } : {}) };
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
