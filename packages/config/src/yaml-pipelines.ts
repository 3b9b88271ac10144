import type { Pipeline, Resource, Source, ValidationIssue } from '@gantry/core';
import {
  definePipeline,
  GantryError,
  gitCommit,
  helmChart,
  ociImage,
  ociImageByTag,
  SourceError,
  validateSystem,
} from '@gantry/core';
import { gitBranch, gitFile } from '@gantry/git';
import { helmRepositorySource } from '@gantry/helm';
import { ociChartSource, ociImageSource } from '@gantry/oci';
import type { KnownNames } from './check-references.js';
import { proposalProblem, subjectProblems, unknownNameMessage } from './check-references.js';
import type { GantryConfig, PhaseConfig, PipelineConfig, SourceConfig } from './schema.js';
import { buildUpdater, updaterKind } from './yaml-updaters.js';
import type { LazyYamlFile, PathSegment, YamlFile } from './yaml-file.js';
import { issueAt } from './yaml-file.js';

type Kind = PipelineConfig['resource'];

const RESOURCE_TYPES = { 'oci-image': ociImage, 'helm-chart': helmChart, 'git-commit': gitCommit } as const;

interface BuildContext {
  readonly config: GantryConfig;
  readonly yaml: YamlFile | LazyYamlFile | undefined;
  readonly issues: ValidationIssue[];
  /** The names gantry.yaml defines, read once: each of 30,000 sources looks them up. */
  readonly known: KnownNames;
  /** Each git source's updater as built, for the pipeline's resource type to read again. */
  readonly updaters: WeakMap<object, ReturnType<typeof buildUpdater>>;
}

function fail(cx: BuildContext, path: PathSegment[], message: string): undefined {
  cx.issues.push(issueAt(cx.yaml, path, message));
  return undefined;
}

function known(cx: BuildContext, what: 'repositories' | 'registries', name: string, at: PathSegment[], field: string) {
  const names = cx.known[what];
  if (names.includes(name)) return true;
  fail(cx, [...at, field], unknownNameMessage(what, name, names));
  return false;
}

function isHelmRegistry(cx: BuildContext, name: string): boolean {
  const r = cx.config.registries?.[name];
  return r !== undefined && 'helm' in r;
}

/** Paths and branches: what the built source names, checked as for pipelines as code. */
function checked(cx: BuildContext, src: Source<Resource>, at: PathSegment[]): Source<Resource> | undefined {
  const problems = subjectProblems(src.subject, cx.known);
  for (const p of problems) fail(cx, [...at, ...p.field], p.message);
  return problems.length === 0 ? src : undefined;
}

function source(kind: Kind, s: SourceConfig, at: PathSegment[], cx: BuildContext): Source<Resource> | undefined {
  switch (s.type) {
    case 'oci': {
      if (!known(cx, 'registries', s.registry, at, 'registry')) return undefined;
      if (isHelmRegistry(cx, s.registry)) {
        return fail(
          cx,
          [...at, 'registry'],
          `registry "${s.registry}" is a Helm chart repository; read it with type: helm`,
        );
      }
      if (kind === 'oci-image') return ociImageSource(s) as Source<Resource>;
      if (kind === 'helm-chart') return ociChartSource(s) as Source<Resource>;
      return fail(cx, [...at, 'type'], `an oci source cannot hold a ${kind}; use git-branch`);
    }
    case 'git': {
      if (!known(cx, 'repositories', s.repository, at, 'repository')) return undefined;
      const wants = updaterKind(s.updater);
      if (wants !== kind) {
        return fail(cx, [...at, 'updater', 'type'], `updater ${s.updater.type} reads a ${wants}, not a ${kind}`);
      }
      let built: ReturnType<typeof buildUpdater>;
      try {
        built = buildUpdater(s.updater);
      } catch (e) {
        // options the schema cannot check alone (a path that does not parse, a bad pattern)
        if (!(e instanceof GantryError) && !(e instanceof TypeError)) throw e;
        return fail(cx, [...at, 'updater'], e.message.replace(/\s+/g, ' '));
      }
      cx.updaters.set(s.updater, built);
      return checked(
        cx,
        gitFile({
          repository: s.repository,
          path: s.path,
          updater: built,
          ...(s.branch !== undefined ? { branch: s.branch } : {}),
        }) as Source<Resource>,
        at,
      );
    }
    case 'helm': {
      if (!known(cx, 'registries', s.registry, at, 'registry')) return undefined;
      if (!isHelmRegistry(cx, s.registry)) {
        return fail(
          cx,
          [...at, 'registry'],
          `registry "${s.registry}" is an OCI registry; a helm source reads a registry with helm: <url>`,
        );
      }
      if (kind !== 'helm-chart') return fail(cx, [...at, 'type'], `a helm source holds a helm-chart, not a ${kind}`);
      try {
        const { type: _, ...options } = s;
        return helmRepositorySource(options) as Source<Resource>;
      } catch (e) {
        // a semver range that does not parse, a chart name with a slash: the field, with its line
        if (!(e instanceof SourceError)) throw e;
        return fail(cx, [...at, e.code === 'invalid_select' ? 'select' : 'chart'], e.message);
      }
    }
    case 'git-branch': {
      if (!known(cx, 'repositories', s.repository, at, 'repository')) return undefined;
      if (kind !== 'git-commit')
        return fail(cx, [...at, 'type'], `a git-branch source holds a git-commit, not a ${kind}`);
      return checked(cx, gitBranch({ repository: s.repository, branch: s.branch }) as Source<Resource>, at);
    }
  }
}

function phase(kind: Kind, ph: PhaseConfig, at: PathSegment[], cx: BuildContext) {
  const src = source(kind, ph.source, [...at, 'source'], cx);
  if (!src) return undefined;
  const cannotPropose = proposalProblem(ph.write, src.subject, cx.config.repositories ?? {});
  if (cannotPropose) {
    cx.issues.push(issueAt(cx.yaml, [...at, 'write'], cannotPropose));
    return undefined;
  }
  const from =
    ph.promotesFrom === undefined ? [] : typeof ph.promotesFrom === 'string' ? [ph.promotesFrom] : ph.promotesFrom;
  return {
    name: ph.name,
    source: src,
    promotesFrom: from,
    ...(ph.labels ? { labels: ph.labels } : {}),
    ...(ph.message !== undefined ? { message: ph.message } : {}),
    ...(ph.queue ? { queue: ph.queue } : {}),
    ...(ph.autoPromote !== undefined ? { autoPromote: ph.autoPromote } : {}),
    ...(ph.deployer ? { deployer: ph.deployer } : {}),
    ...(ph.verify ? { verify: ph.verify } : {}),
    ...(ph.gates ? { gates: ph.gates } : {}),
    ...(ph.write ? { write: ph.write } : {}),
    ...(ph.proposal ? { proposal: ph.proposal } : {}),
  };
}

/**
 * The pipeline's resource type. Images are compared by digest, unless a phase writes only
 * tags (`image.tag`, a Flux `:tag` marker, `form: tag`): what such a file holds is a tag, so
 * the whole pipeline compares versions by tag.
 */
function resourceType(p: PipelineConfig, cx: BuildContext) {
  if (p.resource !== 'oci-image') return RESOURCE_TYPES[p.resource];
  const byTag = p.phases.some((ph) => {
    if (ph.source.type !== 'git') return false;
    try {
      return (cx.updaters.get(ph.source.updater) ?? buildUpdater(ph.source.updater)).comparesBy === 'tag';
    } catch {
      return false;
    }
  });
  return byTag ? ociImageByTag : ociImage;
}

/** `pipelines[0](app).phases[1](staging).source` -> path segments. */
function corePath(path: string): PathSegment[] {
  return path
    .replace(/\([^)]*\)/g, '')
    .split(/\.|(?=\[)/)
    .filter((s) => s.length > 0)
    .map((s) => (s.startsWith('[') ? Number(s.slice(1, -1)) : s));
}

/**
 * Builds the pipelines of `gantry.yaml` into the same model `gantry.config.ts` builds,
 * and checks them as a whole. Every issue names the file, line and field.
 */
export function buildYamlPipelines(
  config: GantryConfig,
  yaml: YamlFile | LazyYamlFile | undefined,
): {
  pipelines: Pipeline<Resource>[];
  issues: ValidationIssue[];
} {
  const cx: BuildContext = {
    config,
    yaml,
    issues: [],
    known: { repositories: Object.keys(config.repositories ?? {}), registries: Object.keys(config.registries ?? {}) },
    updaters: new WeakMap(),
  };
  const pipelines: Pipeline<Resource>[] = [];
  (config.pipelines ?? []).forEach((p, i) => {
    const at: PathSegment[] = ['pipelines', i];
    const phases = p.phases.map((ph, j) => phase(p.resource, ph, [...at, 'phases', j], cx));
    if (phases.some((ph) => ph === undefined)) return;
    pipelines.push(
      definePipeline({
        name: p.name,
        resource: resourceType(p, cx) as never,
        phases: phases as NonNullable<(typeof phases)[number]>[],
        ...(p.labels ? { labels: p.labels } : {}),
      }),
    );
  });
  if (cx.issues.length === 0) {
    for (const issue of validateSystem({ pipelines })) {
      cx.issues.push(issueAt(yaml, corePath(issue.path), issue.message));
    }
  }
  return { pipelines, issues: cx.issues };
}
