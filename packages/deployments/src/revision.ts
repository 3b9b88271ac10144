import type { Revision } from './deployment-event.js';

/*
 * Revision strings, in every shape current and recent Flux and Argo CD releases report:
 *
 *   main@sha1:<40 hex>                 Flux >= 0.40 (RFC-0005), GitRepository on a branch
 *   refs/heads/main@sha1:<40 hex>      GitRepository with spec.ref.name
 *   v1.2.3@sha1:<40 hex>               GitRepository on a tag
 *   sha1:<40 hex>                      GitRepository on a commit
 *   main/<40 hex>, HEAD/<40 hex>       Flux < 0.40 (legacy "/" separator; the branch may contain "/")
 *   <40 hex>                           legacy commit; Argo CD's sync revision for Git sources
 *   v1.2.3@sha256:<64 hex>             OCIRepository (tag at digest); also plain sha256:<hex> (Bucket)
 *   6.5.4, 0.1.0+<12 hex>[.<gen>]      Helm chart versions (Flux HelmRelease, Argo CD Helm sources);
 *                                      the build metadata holds a commit prefix for charts built from
 *                                      Git with reconcileStrategy: Revision
 *
 * RFC-0005 says the digest is what follows the last "@"; the named pointer may itself contain "@".
 */

const RFC0005 = /^(?:(.*)@)?(sha1|sha256|sha384|sha512|blake3):([0-9a-f]+)$/i;
const LEGACY = /^(.+)\/([0-9a-f]{40}|[0-9a-f]{64})$/i;
const SHA1_HEX = /^[0-9a-f]{40}$/i;
const SHA256_HEX = /^[0-9a-f]{64}$/i;
// Semantic-version-looking names: a tag or chart version, never taken for a branch.
const VERSION = /^v?\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+([0-9A-Za-z.-]+))?$/;
const ABBREVIATED_COMMIT = /^[0-9a-f]{12,40}$/;

/** Splits a reported revision into branch, commit, digest and version. Never throws: unknown shapes keep only `raw`. */
export function parseRevision(raw: string): Revision {
  const text = raw.trim();
  const rfc = RFC0005.exec(text);
  if (rfc) {
    const [, pointer, algo = '', hex = ''] = rfc;
    const algorithm = algo.toLowerCase();
    if (algorithm === 'sha1') return { raw, ...gitPointer(pointer), commit: hex.toLowerCase() };
    // sha256/384/512/blake3: an artifact digest; the pointer is the OCI tag.
    return { raw, ...(pointer ? { version: pointer } : {}), digest: `${algorithm}:${hex.toLowerCase()}` };
  }
  const legacy = LEGACY.exec(text);
  if (legacy) {
    const [, pointer, hex = ''] = legacy;
    if (hex.length === 40) return { raw, ...gitPointer(pointer), commit: hex.toLowerCase() };
    return { raw, ...(pointer ? { version: pointer } : {}), digest: `sha256:${hex.toLowerCase()}` };
  }
  if (SHA1_HEX.test(text)) return { raw, commit: text.toLowerCase() };
  if (SHA256_HEX.test(text)) return { raw, digest: `sha256:${text.toLowerCase()}` };
  const version = VERSION.exec(text);
  if (version) {
    const build = version[1];
    const plus = text.indexOf('+');
    const commit = build?.split('.')[0];
    if (build !== undefined && commit !== undefined && ABBREVIATED_COMMIT.test(commit)) {
      return { raw, version: text.slice(0, plus), commit };
    }
    return { raw, version: text };
  }
  return { raw };
}

/** What a Git named pointer says: a branch, a tag (as `version`), or nothing (HEAD, pull-request refs). */
function gitPointer(pointer: string | undefined): Pick<Revision, 'branch' | 'version'> {
  if (!pointer || pointer === 'HEAD') return {};
  if (pointer.startsWith('refs/heads/')) return { branch: pointer.slice('refs/heads/'.length) };
  if (pointer.startsWith('refs/tags/')) return { version: pointer.slice('refs/tags/'.length) };
  if (pointer.startsWith('refs/')) return {};
  if (VERSION.test(pointer)) return { version: pointer };
  return { branch: pointer };
}

/**
 * Combines an artifact revision with the Git revision it was built from (Flux `originRevision`,
 * set from the OCI `org.opencontainers.image.revision` annotation): the artifact keeps its digest
 * and tag, the origin adds the branch and commit.
 */
export function withOrigin(revision: Revision, originRaw: string): Revision {
  const origin = parseRevision(originRaw);
  return {
    ...revision,
    ...(revision.branch === undefined && origin.branch !== undefined ? { branch: origin.branch } : {}),
    ...(revision.commit === undefined && origin.commit !== undefined ? { commit: origin.commit } : {}),
    originRevision: originRaw,
  };
}

/** `main@5394cb7f48`, `v1.2.3@sha256:6ca1d018a562`, `6.5.4`: short, for people. */
export function describeRevision(revision: Revision): string {
  const name = revision.branch ?? revision.version;
  const id = revision.commit?.slice(0, 10) ?? revision.digest?.slice(0, 19);
  if (name && id) return `${name}@${id}`;
  return name ?? id ?? revision.raw;
}
