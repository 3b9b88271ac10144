import type { Descriptor } from './manifest.js';

/**
 * The referrers tag schema's tag for a digest: `sha256:abc...` -> `sha256-abc...`
 * (algorithm and hex, the hex cut to 64 characters, so it is a valid tag).
 */
export function referrersTag(digest: string): string {
  const [alg = '', hex = ''] = digest.split(':');
  return `${alg.replace(/[^a-zA-Z0-9_.-]/g, '-')}-${hex.slice(0, 64)}`.slice(0, 128);
}

/** Keeps descriptors of `artifactType` (all of them without a filter). */
export function filterReferrers(manifests: readonly Descriptor[], artifactType?: string): Descriptor[] {
  return artifactType === undefined ? [...manifests] : manifests.filter((m) => m.artifactType === artifactType);
}
