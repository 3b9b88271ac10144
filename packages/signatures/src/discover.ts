import { isGantryError } from '@gantry/core';
import type { ImageManifest, RegistryReader } from '@gantry/oci';
import { COSIGN, cosignTag, SIGSTORE_BUNDLE } from './media-types.js';
import type { SignatureLookup, SignatureVia } from './result.js';

/** A signature or attestation manifest found for a digest. */
export interface FoundManifest {
  readonly via: SignatureVia;
  readonly digest: string;
  readonly body: ImageManifest;
}

export interface Discovery {
  readonly found: readonly FoundManifest[];
  readonly lookups: readonly SignatureLookup[];
  /** Referrers left unread beyond the cap. */
  readonly omitted: number;
}

/** A digest with more referrers of one type than this is being flooded; read the first ones. */
export const MAX_REFERRERS = 32;

/** Codes that mean "nothing there", not "could not look". */
const ABSENT = new Set(['manifest_not_found', 'repository_not_found']);

/** Codes that mean the registry could not be asked: the check is not evaluated, and the gate holds. */
export const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'registry_unreachable',
  'registry_timeout',
  'registry_error',
  'registry_unauthorized',
]);

function errorOf(e: unknown, signal: AbortSignal | undefined): { code: string; message: string } {
  // the caller's abort is not a verdict: it goes up as it came
  if (signal?.aborted) throw signal.reason;
  if (!isGantryError(e)) throw e;
  return { code: e.code, message: e.message };
}

/** The referrers of `digest` with the artifact type cosign gives signatures (or attestations). */
async function viaReferrers(
  registry: RegistryReader,
  repository: string,
  digest: string,
  artifactType: string,
  signal: AbortSignal | undefined,
): Promise<{ found: FoundManifest[]; lookup: SignatureLookup; omitted: number }> {
  const location = `referrers of ${digest} in ${repository} (artifactType ${artifactType})`;
  const found: FoundManifest[] = [];
  try {
    const descriptors = await registry.referrers(repository, digest, { artifactType, ...(signal ? { signal } : {}) });
    for (const d of descriptors.slice(0, MAX_REFERRERS)) {
      try {
        const m = await registry.manifest(repository, d.digest, signal ? { signal } : undefined);
        if (m.kind === 'manifest') found.push({ via: 'referrers', digest: m.digest, body: m.body });
      } catch (e) {
        // a referrer deleted since the list was made is simply gone
        if (!(isGantryError(e) && ABSENT.has(e.code))) throw e;
      }
    }
    const omitted = Math.max(0, descriptors.length - MAX_REFERRERS);
    return { found, lookup: { via: 'referrers', location, found: descriptors.length }, omitted };
  } catch (e) {
    return {
      found,
      lookup: { via: 'referrers', location, found: found.length, error: errorOf(e, signal) },
      omitted: 0,
    };
  }
}

/** Cosign's tag scheme: one manifest under `sha256-<hex>.sig` (or `.att`), its layers the signatures. */
async function viaTag(
  registry: RegistryReader,
  repository: string,
  tag: string,
  signal: AbortSignal | undefined,
): Promise<{ found: FoundManifest[]; lookup: SignatureLookup }> {
  const location = `${repository}:${tag}`;
  try {
    const m = await registry.manifest(repository, tag, signal ? { signal } : undefined);
    if (m.kind !== 'manifest') return { found: [], lookup: { via: 'tag', location, found: 0 } };
    return { found: [{ via: 'tag', digest: m.digest, body: m.body }], lookup: { via: 'tag', location, found: 1 } };
  } catch (e) {
    if (isGantryError(e) && ABSENT.has(e.code)) return { found: [], lookup: { via: 'tag', location, found: 0 } };
    return { found: [], lookup: { via: 'tag', location, found: 0, error: errorOf(e, signal) } };
  }
}

/**
 * Finds the signature (or attestation) manifests of `digest` in every place cosign
 * puts them, at once: the OCI referrers API filtered by artifact type, once for the
 * classic format's type and once for the Sigstore bundle's (the registry client falls
 * back to the referrers tag schema where the API is missing), and cosign's `.sig`/`.att`
 * tag. A place that cannot be read is recorded in its lookup, not thrown: whether that
 * matters depends on what the other places hold.
 */
export async function discoverSignatures(
  registry: RegistryReader,
  repository: string,
  digest: string,
  kind: 'signature' | 'attestation',
  signal?: AbortSignal,
): Promise<Discovery> {
  const artifactType = kind === 'signature' ? COSIGN.signatureArtifactType : COSIGN.inTotoPayload;
  const [classic, bundles, tagged] = await Promise.all([
    viaReferrers(registry, repository, digest, artifactType, signal),
    viaReferrers(registry, repository, digest, SIGSTORE_BUNDLE.v03, signal),
    viaTag(registry, repository, cosignTag(digest, kind), signal),
  ]);
  // the same manifest may be both a referrer and the tagged one; examine it once
  const seen = new Set<string>();
  const found = [...classic.found, ...bundles.found, ...tagged.found].filter(
    (m) => !seen.has(m.digest) && seen.add(m.digest),
  );
  return {
    found,
    lookups: [classic.lookup, bundles.lookup, tagged.lookup],
    omitted: classic.omitted + bundles.omitted,
  };
}
