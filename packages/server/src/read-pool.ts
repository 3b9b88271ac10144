import type { Pipeline } from '@gantry/core';

/**
 * Reads of pipelines, a bounded number at once per group of sources: pipelines that read the
 * same registries and repositories share a group, so a registry or remote that hangs fills only
 * its own group's slots and never delays pipelines that do not use it.
 */
export interface ReadPool {
  run<T>(pipeline: string, read: () => Promise<T>): Promise<T>;
  /** Reads running and waiting now, over all groups. */
  readonly active: number;
  readonly waiting: number;
}

/** 16 pipelines (about 50 phases) per group at once: enough to keep a host's budget busy, few enough to bound memory. */
export const DEFAULT_READS_PER_GROUP = 16;

/** The sources a pipeline reads, as one key: `git:config oci:ghcr` (sorted, distinct). */
export function sourceGroup(pipeline: Pipeline): string {
  const keys = new Set<string>();
  for (const ph of pipeline.phases) {
    // (test doubles of pipelines may leave sources out)
    const s = ph.source?.subject;
    keys.add(
      s === undefined ? `other:${ph.source?.type}` : s.kind === 'oci' ? `oci:${s.registry}` : `git:${s.repository}`,
    );
  }
  return [...keys].sort().join(' ');
}

interface Group {
  active: number;
  readonly waiting: Array<() => void>;
}

export function createReadPool(pipelines: readonly Pipeline[], perGroup = DEFAULT_READS_PER_GROUP): ReadPool {
  const groupOf = new Map(pipelines.map((p) => [p.name, sourceGroup(p)]));
  const groups = new Map<string, Group>();
  let active = 0;
  let waiting = 0;
  return {
    get active() {
      return active;
    },
    get waiting() {
      return waiting;
    },
    async run(pipeline, read) {
      const key = groupOf.get(pipeline) ?? '';
      let g = groups.get(key);
      if (!g) {
        g = { active: 0, waiting: [] };
        groups.set(key, g);
      }
      const group = g;
      if (group.active >= perGroup) {
        waiting++;
        await new Promise<void>((resolve) => group.waiting.push(resolve));
        waiting--;
      }
      group.active++;
      active++;
      try {
        return await read();
      } finally {
        group.active--;
        active--;
        group.waiting.shift()?.();
        if (group.active === 0 && group.waiting.length === 0) groups.delete(key);
      }
    },
  };
}
