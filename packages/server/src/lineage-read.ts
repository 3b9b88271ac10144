import type { ApiLineage } from '@gantry/api';
import type { System } from '@gantry/core';
import { findPipeline, topologicalOrder } from '@gantry/core';
import type { Store } from '@gantry/store';
import type { CurrentVersion, ProvenanceSources } from './chain-read.js';
import type { LineageHistoryEntry } from './lineage.js';
import { assembleLineage } from './lineage.js';

/** Commits of each phase's Git history read for lineage. */
export const LINEAGE_HISTORY_DEPTH = 100;

/**
 * Gathers a pipeline's lineage records and assembles them: its landed promotions, each Git
 * phase's recent history (a remote that cannot be read leaves that phase to Gantry's records),
 * what each phase holds now and CI's reports.
 */
export async function readLineage(
  d: { readonly system: System; readonly store: Store; readonly provenance: ProvenanceSources },
  pipeline: string,
  current: ReadonlyArray<{ readonly phase: string } & CurrentVersion>,
  limit = 50,
): Promise<ApiLineage> {
  const p = findPipeline(d.system, pipeline);
  const phases = topologicalOrder(p).map((ph) => {
    const s = ph.source.subject;
    return {
      phase: ph.name,
      writable: ph.source.writable,
      ...(s?.kind === 'git' ? { repository: s.repository } : {}),
    };
  });
  const [landed, artifacts, histories] = await Promise.all([
    d.store.landedPromotions(pipeline, 2000),
    d.store.listArtifacts({ pipeline, limit: 200 }).then((page) => page.items),
    Promise.all(
      phases.map(async (ph) => {
        if (!ph.writable || !d.provenance.history) return [ph.phase, []] as const;
        const entries: LineageHistoryEntry[] = await d.provenance
          .history(pipeline, ph.phase, LINEAGE_HISTORY_DEPTH)
          .catch(() => []);
        return [ph.phase, entries] as const;
      }),
    ),
  ]);
  return assembleLineage({
    pipeline,
    phases,
    landed,
    history: Object.fromEntries(histories),
    current: Object.fromEntries(current.map((c) => [c.phase, c])),
    artifacts,
    linker: d.provenance.linker,
    limit,
  });
}
