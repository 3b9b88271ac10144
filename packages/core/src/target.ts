import { InvalidTargetError, TargetNotFoundError } from './errors.js';
import type { Phase, Pipeline } from './pipeline.js';
import type { Resource } from './resource.js';
import { ResourceParseError } from './resource.js';
import type { Source, SourceContext } from './source.js';

/** What a read source says about an explicit version. Fields are relative to the resource (`digest`). */
export type TargetLookup =
  /** The source reads from where the version lives, and it is there. */
  | { readonly kind: 'found' }
  /** The source reads from there, but the version is not there. */
  | { readonly kind: 'missing'; readonly field: string; readonly message: string }
  /** The version names another place than this source reads (`expected`, e.g. `ghcr.io/team/app`). */
  | { readonly kind: 'foreign'; readonly field: string; readonly expected: string };

/**
 * A source that can look an explicit version up where it reads from, e.g. the OCI source
 * asks its registry for the manifest. Optional: sources without it are not consulted.
 */
export interface TargetResolver<R extends Resource> {
  lookupTarget(target: R, ctx: SourceContext): Promise<TargetLookup>;
}

export function canLookUpTargets<R extends Resource>(source: Source<R>): source is Source<R> & TargetResolver<R> {
  return typeof (source as Partial<TargetResolver<R>>).lookupTarget === 'function';
}

/** Parses an explicit version as the pipeline's resource type; a mistake is `invalid_target` naming the field. */
export function parseTarget<R extends Resource>(pipeline: Pipeline<R>, value: unknown): R {
  try {
    return pipeline.resource.parse(value);
  } catch (e) {
    const issues = e instanceof ResourceParseError ? e.issues : [];
    const first = issues[0];
    const field = first?.path ? `target.${first.path}` : 'target';
    const why = e instanceof Error ? e.message : String(e);
    throw new InvalidTargetError(field, `not a ${pipeline.resource.kind} of pipeline "${pipeline.name}": ${why}`, {
      pipeline: pipeline.name,
      ...(issues.length > 0 ? { issues: issues.map((i) => ({ ...i, path: `target.${i.path}` })) } : {}),
    });
  }
}

/** The phases `phase` takes versions from, transitively, nearest first. */
export function ancestors<R extends Resource>(pipeline: Pipeline<R>, phase: Phase<R>): Phase<R>[] {
  const byName = new Map(pipeline.phases.map((p) => [p.name, p]));
  const seen = new Set<string>();
  const out: Phase<R>[] = [];
  const queue = [...phase.promotesFrom];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    const p = byName.get(name);
    if (!p || seen.has(name)) continue;
    seen.add(name);
    out.push(p);
    queue.push(...p.promotesFrom);
  }
  return out;
}

/**
 * Checks that an explicit version for `phase` lives where the pipeline reads versions
 * from, and exists there: the sources of the phase's upstream phases (or, for a phase
 * with none, of every phase) that can look versions up are asked. One that finds it is
 * enough; otherwise a missing version is `target_not_found` and a foreign one
 * `invalid_target`, both naming the field. A pipeline no source of which can look up
 * versions (custom sources) is not checked here.
 */
export async function verifyTarget<R extends Resource>(
  pipeline: Pipeline<R>,
  phase: Phase<R>,
  target: R,
  ctx: SourceContext,
): Promise<void> {
  const upstream = ancestors(pipeline, phase).filter((p) => canLookUpTargets(p.source));
  const consulted = upstream.length > 0 ? upstream : pipeline.phases.filter((p) => canLookUpTargets(p.source));
  if (consulted.length === 0) return;
  const answers = await Promise.all(
    consulted.map((p) => (p.source as Source<R> & TargetResolver<R>).lookupTarget(target, ctx)),
  );
  if (answers.some((a) => a.kind === 'found')) return;
  const version = pipeline.resource.describe(target);
  const missing = answers.find((a) => a.kind === 'missing');
  if (missing) {
    throw new TargetNotFoundError(`target.${missing.field}`, missing.message, { pipeline: pipeline.name, version });
  }
  const foreign = answers.filter((a) => a.kind === 'foreign');
  const field = `target.${foreign[0]?.field ?? ''}`.replace(/\.$/, '');
  const expected = [...new Set(foreign.map((a) => a.expected))];
  throw new InvalidTargetError(
    field,
    `${version} is not from where pipeline "${pipeline.name}" reads versions: ${expected.join(', ')}`,
    { pipeline: pipeline.name, expected },
  );
}
