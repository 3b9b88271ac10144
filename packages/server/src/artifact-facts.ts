import type { SourceCommitFacts } from '@gantry/gates';
import type { Artifact, Store } from '@gantry/store';
import type { SourceSupplier } from './source-facts.js';

type Resource = {
  readonly kind?: unknown;
  readonly digest?: unknown;
  readonly name?: unknown;
  readonly version?: unknown;
  readonly repository?: unknown;
};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The artifact CI reported for a version: an image by manifest digest, a chart by version. */
export async function artifactOf(
  store: Pick<Store, 'findArtifactByDigest' | 'findArtifactByChart'>,
  resource: unknown,
  digest: string,
) {
  const r = (typeof resource === 'object' && resource !== null ? resource : {}) as Resource;
  if (r.kind === 'helm-chart') {
    const version = text(r.version);
    if (!version) return undefined;
    const repository = text(r.repository);
    const name = text(r.name);
    const oci = repository?.startsWith('oci://') ? await store.findArtifactByChart(repository, version) : undefined;
    return oci ?? (name ? await store.findArtifactByChart(name, version) : undefined);
  }
  return store.findArtifactByDigest(text(r.digest) ?? digest);
}

/** What an artifact report says of its source commit, in the words gates judge. */
export function factsOfArtifact(a: Artifact): SourceCommitFacts | undefined {
  const s = a.source;
  const author = s.author && (s.author.name || s.author.email) ? s.author : undefined;
  const facts: SourceCommitFacts = {
    ...(s.commit ? { sha: s.commit } : {}),
    ...(s.message ? { message: s.message } : {}),
    ...(author
      ? { author: { ...(author.name ? { name: author.name } : {}), ...(author.email ? { email: author.email } : {}) } }
      : {}),
    ...(s.branch ? { branch: s.branch } : {}),
  };
  return Object.keys(facts).length > 0 ? facts : undefined;
}

/**
 * CI's artifact report as a supplier of source facts, preferred over the image's labels (CI
 * knows the branch and the person; labels often do not). Only a report the registry vouches
 * for counts: an unverified one is checked again through `reverify` (which throws when the
 * registry cannot be asked, so the gate waits), and still unverified it says nothing.
 */
export function artifactSupplier(
  store: Pick<Store, 'findArtifactByDigest' | 'findArtifactByChart'>,
  reverify?: (a: Artifact) => Promise<Artifact>,
): SourceSupplier {
  return {
    name: 'CI artifact report',
    async facts(q) {
      let a = await artifactOf(store, q.resource, q.digest);
      if (!a) return undefined;
      if (!a.verified && reverify) a = await reverify(a);
      return a.verified ? factsOfArtifact(a) : undefined;
    },
  };
}
