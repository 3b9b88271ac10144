import { InvalidTargetError, TargetNotFoundError } from './errors.js';
import type { Phase, Pipeline } from './pipeline.js';
import type { Resource } from './resource.js';
import type { Source, SourceContext } from './source.js';
import { ancestors } from './target.js';

/** A version named the way people name it: a tag or chart version, or a digest. Exactly one. */
export type VersionSpec = { readonly version: string } | { readonly digest: string };

/**
 * A source that can turn a version's name into the resource it reads, e.g. the OCI source
 * resolves a tag to its manifest digest in its registry. `undefined`: it holds no such version.
 */
export interface VersionResolver<R extends Resource> {
  resolveVersion(spec: VersionSpec, ctx: SourceContext): Promise<R | undefined>;
}

export function canResolveVersions<R extends Resource>(source: Source<R>): source is Source<R> & VersionResolver<R> {
  return typeof (source as Partial<VersionResolver<R>>).resolveVersion === 'function';
}

const fieldOf = (spec: VersionSpec): 'version' | 'digest' => ('digest' in spec ? 'digest' : 'version');
const nameOf = (spec: VersionSpec): string => ('digest' in spec ? spec.digest : spec.version);

/**
 * The resource a release of `spec` into `phase` writes: asked of the sources `phase` takes
 * versions from (nearest first) that can resolve names, the first that holds it answers.
 * None holding it is `target_not_found`; a pipeline none of whose upstream sources can
 * resolve names (custom sources) is `invalid_target`: name the version as a full resource.
 */
export async function resolveVersion<R extends Resource>(
  pipeline: Pipeline<R>,
  phase: Phase<R>,
  spec: VersionSpec,
  ctx: SourceContext,
): Promise<R> {
  const field = fieldOf(spec);
  if (nameOf(spec).trim() === '') throw new InvalidTargetError(field, 'is empty', { pipeline: pipeline.name });
  const upstream = ancestors(pipeline, phase).filter((p) => canResolveVersions(p.source));
  const consulted =
    upstream.length > 0 ? upstream : pipeline.phases.filter((p) => p !== phase && canResolveVersions(p.source));
  if (consulted.length === 0) {
    throw new InvalidTargetError(
      field,
      `no source of pipeline "${pipeline.name}" that ${phase.name} takes versions from can look up a ${field}; release a full resource (target) instead`,
      { pipeline: pipeline.name },
    );
  }
  for (const p of consulted) {
    const found = await (p.source as Source<R> & VersionResolver<R>).resolveVersion(spec, ctx);
    if (found !== undefined) return pipeline.resource.parse(found);
  }
  throw new TargetNotFoundError(
    field,
    `${field} ${nameOf(spec)} is not in ${consulted.map((p) => p.source.describe()).join(', ')}`,
    { pipeline: pipeline.name, phase: phase.name },
  );
}
