import type { Phase, Pipeline } from './pipeline.js';
import type { Resource } from './resource.js';
import type { Revision, Source, SourceContext } from './source.js';

/** One earlier state of a phase: what it held after `revision` (a commit that changed its files). */
export interface HistoryEntry<R extends Resource> {
  readonly revision: Revision;
  /** `undefined` when the files held no version then (or could not be read as one). */
  readonly resource: R | undefined;
}

/**
 * A source that can tell what it held in earlier revisions, newest first: a Git file's
 * versions in the commits that changed it (`git log` on its paths). How a pipeline's lineage
 * finds versions that Gantry did not write.
 */
export interface HistoryReader<R extends Resource> {
  history(ctx: SourceContext, options: { readonly limit: number }): Promise<ReadonlyArray<HistoryEntry<R>>>;
}

export function canReadHistory<R extends Resource>(source: Source<R>): source is Source<R> & HistoryReader<R> {
  return typeof (source as Partial<HistoryReader<R>>).history === 'function';
}

/** A version a phase held, as the pipeline's resource type names it. */
export interface PhaseHistoryEntry {
  readonly revision: Revision;
  readonly resource: Resource;
  readonly digest: string;
  readonly version: string;
}

/**
 * The versions `phase` held in its source's earlier revisions, newest first (empty for a
 * source that keeps no history, e.g. a registry tag). Revisions whose files held no
 * version are left out.
 */
export async function readPhaseHistory<R extends Resource>(
  pipeline: Pipeline<R>,
  phase: Phase<R>,
  ctx: SourceContext,
  limit = 100,
): Promise<PhaseHistoryEntry[]> {
  const source = phase.source as Source<R>;
  if (!canReadHistory(source)) return [];
  const entries = await source.history(ctx, { limit });
  return entries.flatMap((e) =>
    e.resource === undefined
      ? []
      : [
          {
            revision: e.revision,
            resource: e.resource,
            digest: pipeline.resource.digest(e.resource),
            version: pipeline.resource.describe(e.resource),
          },
        ],
  );
}
