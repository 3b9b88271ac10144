import type { System } from '@gantry/core';
import type { Linker } from './links.js';

/** The web pages of one promotion: its config commit, the image it wrote, its pull/merge request. */
export interface PromotionLinks {
  readonly commit?: string;
  readonly image?: string;
  readonly proposal?: string;
}

/** The fields of a promotion its links are made of. */
export interface LinkedPromotion {
  readonly pipeline: string;
  readonly phase: string;
  readonly commitSha?: string | undefined;
  readonly toDigest: string;
  readonly target: unknown;
  readonly proposal?: { readonly number: number; readonly url?: string | undefined } | undefined;
}

/**
 * Adds `links` to each promotion of a list, from the configuration alone (no I/O), so a history
 * page costs no more than the store's read. Phases are looked up once per list; a promotion of
 * a pipeline or phase no longer configured keeps only the links that need no repository.
 */
export function withPromotionLinks<P extends LinkedPromotion>(
  system: System,
  linker: Linker,
  items: readonly P[],
): Array<P & { links?: PromotionLinks }> {
  const repositories = new Map<string, string | undefined>();
  const repositoryOf = (pipeline: string, phase: string) => {
    const key = `${pipeline}\u0000${phase}`;
    if (!repositories.has(key)) {
      const s = system.pipelines.find((p) => p.name === pipeline)?.phases.find((ph) => ph.name === phase)
        ?.source.subject;
      repositories.set(key, s?.kind === 'git' ? s.repository : undefined);
    }
    return repositories.get(key);
  };
  return items.map((p) => {
    const links = promotionLinks(linker, repositoryOf(p.pipeline, p.phase), p);
    return Object.keys(links).length > 0 ? { ...p, links } : p;
  });
}

/** One promotion's links, given the configured repository its phase writes (if any). */
export function promotionLinks(linker: Linker, repository: string | undefined, p: LinkedPromotion): PromotionLinks {
  const commit = repository && p.commitSha ? linker.configCommit(repository, p.commitSha) : undefined;
  const proposal =
    p.proposal?.url || (repository && p.proposal ? linker.proposal(repository, p.proposal.number) : undefined);
  const target = typeof p.target === 'object' && p.target !== null ? (p.target as Record<string, unknown>) : {};
  const reference =
    target['kind'] === 'oci-image' && typeof target['repository'] === 'string' ? target['repository'] : undefined;
  const digest =
    typeof target['digest'] === 'string' ? target['digest'] : p.toDigest.startsWith('sha256:') ? p.toDigest : undefined;
  const tag = typeof target['tag'] === 'string' ? target['tag'] : undefined;
  const image = reference
    ? linker.image(reference, { ...(digest ? { digest } : {}), ...(tag ? { tag } : {}) })
    : undefined;
  return { ...(commit ? { commit } : {}), ...(image ? { image } : {}), ...(proposal ? { proposal } : {}) };
}
