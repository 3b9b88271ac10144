import type { System } from '@gantry/core';
import { findPipeline } from '@gantry/core';

/** The registry and repository a pipeline's images come from: its OCI source phase's subject. */
export function imageHome(system: System, pipeline: string): { registry: string; repository: string } | undefined {
  for (const ph of findPipeline(system, pipeline).phases) {
    const s = ph.source.subject;
    if (s?.kind === 'oci') return { registry: s.registry, repository: s.repository };
  }
  return undefined;
}
