import type { Runtime } from '@gantry/config';
import type { System } from '@gantry/core';
import type { SourceCommitFacts } from '@gantry/gates';
import type { Registries } from '@gantry/oci';
import { imageHome } from './image-home.js';
import type { SourceLabelKeys } from './image-provenance.js';
import { readImageLabels, sourceOfLabels } from './image-provenance.js';

/** The version source facts are asked for. */
export interface SourceQuery {
  readonly pipeline: string;
  readonly phase: string;
  readonly digest: string;
  readonly resource: unknown;
}

/**
 * One place that may know where a version was built from: the image's labels, a CI
 * artifact report. Undefined: it knows nothing of this version. Throws: it could not be asked.
 */
export interface SourceSupplier {
  readonly name: string;
  facts(q: SourceQuery): Promise<SourceCommitFacts | undefined>;
}

const FIELDS = ['sha', 'message', 'committer', 'author', 'branch'] as const;

/** Two revisions name the same commit when one is a prefix of the other (short and full shas). */
const sameCommit = (a: string, b: string) => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x.startsWith(y) || y.startsWith(x);
};

/**
 * Field by field, the first supplier (the preferred) that knows a field wins; a later one
 * that names another commit adds nothing, so no answer mixes two commits' facts.
 */
export function mergeSourceFacts(answers: readonly (SourceCommitFacts | undefined)[]): SourceCommitFacts | undefined {
  const out: { -readonly [K in keyof SourceCommitFacts]: SourceCommitFacts[K] } = {};
  let any = false;
  for (const a of answers) {
    if (!a) continue;
    if (out.sha !== undefined && a.sha !== undefined && !sameCommit(out.sha, a.sha)) continue;
    for (const f of FIELDS) {
      if (out[f] === undefined && a[f] !== undefined) {
        (out as Record<string, unknown>)[f] = a[f];
        any = true;
      }
    }
  }
  return any ? out : undefined;
}

/**
 * The suppliers asked together, merged by preference (first in the list first). A supplier
 * that could not be asked fails the whole question unless the others already told every
 * field: a gate is never judged on facts an outage hid (the promotion waits and says why).
 */
export function sourceFacts(suppliers: readonly SourceSupplier[]) {
  return async (q: SourceQuery): Promise<SourceCommitFacts | undefined> => {
    const settled = await Promise.allSettled(suppliers.map((s) => s.facts(q)));
    const merged = mergeSourceFacts(settled.map((r) => (r.status === 'fulfilled' ? r.value : undefined)));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed && !FIELDS.every((f) => merged?.[f] !== undefined)) throw failed.reason;
    return merged;
  };
}

/**
 * The image's OCI annotations and labels, read from the registry the pipeline's images come
 * from: revision, branch, message, author and committer (see `sourceOfLabels` for the keys;
 * `keysOf` gives a registry's configured ones). Pipelines without an OCI source know nothing here.
 * An image's labels never change (its digest covers them): answers are kept, failures are not.
 */
export function imageLabelSupplier(
  system: System,
  registries: Registries,
  keysOf: (registry: string) => SourceLabelKeys | undefined = () => undefined,
): SourceSupplier {
  const cache = new Map<string, SourceCommitFacts | undefined>();
  return {
    name: 'image labels',
    async facts(q) {
      const home = imageHome(system, q.pipeline);
      if (!home) return undefined;
      const key = `${home.registry} ${home.repository} ${q.digest}`;
      if (cache.has(key)) return cache.get(key);
      const labels = await readImageLabels(registries.get(home.registry), home.repository, q.digest);
      const { url: _url, repository: _repository, ...source } = sourceOfLabels(labels, keysOf(home.registry));
      const facts = Object.keys(source).length > 0 ? source : undefined;
      cache.set(key, facts);
      if (cache.size > 1000) cache.delete(cache.keys().next().value as string);
      return facts;
    },
  };
}

/** A registry's configured source label keys (`registries.<name>.sourceLabels` in gantry.yaml). */
export function labelKeysOf(runtime: Pick<Runtime, 'loaded'>): (registry: string) => SourceLabelKeys | undefined {
  return (registry) => {
    const r = runtime.loaded.config.registries?.[registry];
    return r && 'sourceLabels' in r ? r.sourceLabels : undefined;
  };
}

/**
 * The source facts of a configuration, for the server and a local CLI command: `preferred`
 * suppliers (a CI artifact report) first, then the image's labels.
 */
export function runtimeSourceFacts(
  runtime: Pick<Runtime, 'loaded' | 'system' | 'registries'>,
  preferred: readonly SourceSupplier[] = [],
) {
  return sourceFacts([...preferred, imageLabelSupplier(runtime.system, runtime.registries, labelKeysOf(runtime))]);
}
