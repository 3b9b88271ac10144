import type { ApiLineage, ApiLineageVersion, ApiReleaseSpec } from '@gantry/api';

/** A version a phase held that Gantry has no succeeded promotion of: found in its lineage (Git history). */
export interface LineageRollback {
  readonly version: string;
  readonly digest: string;
  readonly release: ApiReleaseSpec;
  /** The commit that last brought it into the phase, when the lineage knows it. */
  readonly commit?: string;
}

const matches = (v: ApiLineageVersion, to: string): boolean =>
  v.version === to ||
  v.digest === to ||
  (to.length >= 7 && (v.digest.startsWith(to) || v.digest.startsWith(`sha256:${to}`))) ||
  (typeof v.resource?.['tag'] === 'string' && v.resource['tag'] === to) ||
  (typeof v.resource?.['version'] === 'string' && v.resource['version'] === to);

/**
 * The newest version named `to` (its name, digest or a 7+ character digest prefix, tag or chart
 * version) that `phase` held at some time by the lineage: Gantry's promotions or commits in the
 * phase's Git history Gantry did not write. Undefined when the phase never held it.
 */
export function findInLineage(lineage: ApiLineage, phase: string, to: string): LineageRollback | undefined {
  for (const v of lineage.versions) {
    const stays = v.phases.find((c) => c.phase === phase)?.stays ?? [];
    if (stays.length === 0 || !matches(v, to)) continue;
    const commit = [...stays].reverse().find((s) => s.commit)?.commit;
    return { version: v.version, digest: v.digest, release: v.release, ...(commit ? { commit } : {}) };
  }
  return undefined;
}
