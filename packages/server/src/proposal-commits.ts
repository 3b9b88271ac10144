import type { ProposalCommitsLookup, ProposalSourceCommits } from '@gantry/core';
import type { Store } from '@gantry/store';
import { artifactOf } from './artifact-facts.js';
import { forgeOf } from './links.js';

/** The page comparing two commits of a GitHub or GitLab repository; undefined on other hosts. */
export function compareUrl(repository: string, from: string, to: string): string | undefined {
  const forge = forgeOf(repository);
  if (!forge) return undefined;
  return forge.kind === 'github' ? `${forge.web}/compare/${from}...${to}` : `${forge.web}/-/compare/${from}...${to}`;
}

/**
 * The source commits of a proposal's two versions from CI's artifact reports (by image digest or
 * chart version): never a clone of the source repository. The compare link needs both commits
 * in the same repository on a known forge.
 */
export function proposalCommits(
  store: Pick<Store, 'findArtifactByDigest' | 'findArtifactByChart'>,
): ProposalCommitsLookup {
  return async (q) => {
    // only reports whose digest was confirmed in the registry, as for commit gates
    const verified = async (v: { digest: string; resource: unknown } | undefined) => {
      const a = v ? await artifactOf(store, v.resource, v.digest) : undefined;
      return a?.verified ? a : undefined;
    };
    const to = await verified(q.to);
    if (!to?.source.commit) return undefined;
    const from = await verified(q.from);
    const fromCommit = from?.source.commit;
    const repository = to.source.repository;
    const sameRepository =
      repository !== undefined &&
      from?.source.repository !== undefined &&
      forgeOf(repository)?.web === forgeOf(from.source.repository)?.web;
    const link =
      fromCommit && sameRepository && repository ? compareUrl(repository, fromCommit, to.source.commit) : undefined;
    const out: ProposalSourceCommits = {
      to: to.source.commit,
      ...(fromCommit ? { from: fromCommit } : {}),
      ...(link ? { compareUrl: link } : {}),
    };
    return out;
  };
}
