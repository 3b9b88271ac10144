import type { Resource, ResourceType } from './resource.js';
import type { ProposalOptions, WriteMode } from './proposal.js';
import type { ReadWriteSource, Source } from './source.js';
import type { PhaseDeployer, PhaseGate, PhaseVerification } from './verification.js';

export type Labels = Readonly<Record<string, string>>;

/** What to do with a request when a promotion into the same phase is already queued. */
export type QueuePolicy = 'supersede' | 'queue';

/** One place a version lives. */
export interface Phase<R extends Resource = Resource> {
  readonly name: string;
  readonly labels: Labels;
  readonly source: Source<R>;
  /** Upstream phase names; empty for a source phase. More than one is a fan-in. */
  readonly promotesFrom: readonly string[];
  /** Commit message template, e.g. `deploy {{resource}} to {{phase}}`. */
  readonly message?: string;
  readonly queue: QueuePolicy;
  /** Promote automatically whenever the upstream moves (a policy trigger); off by default. */
  readonly autoPromote: boolean;
  /** Who applies this phase's commits (Flux or Argo CD), whose reports Gantry tracks. */
  readonly deployer?: PhaseDeployer;
  /** What proves a version here after it is applied; downstream auto-promotion waits for it. */
  readonly verify?: PhaseVerification;
  /** Rules a version must pass before it is promoted here (see @gantry/gates). */
  readonly gates?: readonly PhaseGate[];
  /** `proposal`: promotions open a pull request instead of pushing to the branch (default `commit`). */
  readonly write?: WriteMode;
  /** Branch, title, body, labels and reviewers of this phase's proposals. */
  readonly proposal?: ProposalOptions;
}

/** The path one kind of resource takes: a graph of phases. */
export interface Pipeline<R extends Resource = Resource> {
  readonly name: string;
  readonly labels: Labels;
  readonly resource: ResourceType<R>;
  readonly phases: readonly Phase<R>[];
}

/** A typed handle to a phase, used to say `promotesFrom` in pipelines as code. */
export interface PhaseRef<R extends Resource> {
  readonly pipeline: string;
  readonly name: string;
  /** Phantom, keeps R invariant. */
  readonly _resource?: (r: R) => R;
}

interface PhaseOptionsBase {
  readonly labels?: Labels;
  readonly message?: string;
  readonly queue?: QueuePolicy;
  readonly autoPromote?: boolean;
  readonly deployer?: PhaseDeployer;
  readonly verify?: PhaseVerification;
  readonly gates?: readonly PhaseGate[];
  readonly write?: WriteMode;
  readonly proposal?: ProposalOptions;
}

/** The optional parts of a phase, copied as given. */
const extras = (o: {
  message?: string;
  deployer?: PhaseDeployer;
  verify?: PhaseVerification;
  gates?: readonly PhaseGate[];
  write?: WriteMode;
  proposal?: ProposalOptions;
}) => ({
  ...(o.write !== undefined ? { write: o.write } : {}),
  ...(o.proposal !== undefined ? { proposal: o.proposal } : {}),
  ...(o.message !== undefined ? { message: o.message } : {}),
  ...(o.deployer !== undefined ? { deployer: o.deployer } : {}),
  ...(o.verify !== undefined ? { verify: o.verify } : {}),
  ...(o.gates !== undefined ? { gates: o.gates } : {}),
});

/** A source phase: where versions enter the pipeline. Any source, read-only or not. */
export interface SourcePhaseOptions<R extends Resource> extends PhaseOptionsBase {
  readonly source: Source<R>;
  readonly promotesFrom?: undefined;
}

/** A phase promoted into: its source must be writable. */
export interface PromotedPhaseOptions<R extends Resource> extends PhaseOptionsBase {
  readonly source: ReadWriteSource<R>;
  readonly promotesFrom: PhaseRef<R> | readonly PhaseRef<R>[];
}

/**
 * A pipeline under construction in TypeScript. Each `phase` call returns a typed
 * handle; `promotesFrom` only accepts handles of the same resource type and only on a
 * phase whose source is writable, so both mistakes fail to compile.
 */
export interface PipelineBuilder<R extends Resource> extends Pipeline<R> {
  phase(name: string, options: SourcePhaseOptions<R>): PhaseRef<R>;
  phase(name: string, options: PromotedPhaseOptions<R>): PhaseRef<R>;
}

export interface PipelineOptions<R extends Resource> {
  readonly name: string;
  readonly resource: ResourceType<R>;
  readonly labels?: Labels;
}

/** Starts a pipeline as code. Validation of the whole graph happens in `validateSystem`. */
export function pipeline<R extends Resource>(options: PipelineOptions<R>): PipelineBuilder<R> {
  const phases: Phase<R>[] = [];
  return {
    name: options.name,
    labels: options.labels ?? {},
    resource: options.resource,
    phases,
    phase(name: string, o: SourcePhaseOptions<R> | PromotedPhaseOptions<R>): PhaseRef<R> {
      const from =
        o.promotesFrom === undefined ? [] : Array.isArray(o.promotesFrom) ? o.promotesFrom : [o.promotesFrom];
      phases.push({
        name,
        labels: o.labels ?? {},
        source: o.source,
        promotesFrom: (from as readonly PhaseRef<R>[]).map((r) => r.name),
        queue: o.queue ?? 'supersede',
        autoPromote: o.autoPromote ?? false,
        ...extras(o),
      });
      return { pipeline: options.name, name };
    },
  };
}

/** Builds a pipeline from plain data (the YAML form); checked by `validateSystem`. */
export function definePipeline<R extends Resource>(p: {
  name: string;
  resource: ResourceType<R>;
  labels?: Labels;
  phases: ReadonlyArray<{
    name: string;
    source: Source<R>;
    promotesFrom?: readonly string[];
    labels?: Labels;
    message?: string;
    queue?: QueuePolicy;
    autoPromote?: boolean;
    deployer?: PhaseDeployer;
    verify?: PhaseVerification;
    gates?: readonly PhaseGate[];
    write?: WriteMode;
    proposal?: ProposalOptions;
  }>;
}): Pipeline<R> {
  return {
    name: p.name,
    labels: p.labels ?? {},
    resource: p.resource,
    phases: p.phases.map((ph) => ({
      name: ph.name,
      labels: ph.labels ?? {},
      source: ph.source,
      promotesFrom: ph.promotesFrom ?? [],
      queue: ph.queue ?? 'supersede',
      autoPromote: ph.autoPromote ?? false,
      ...extras(ph),
    })),
  };
}

/** Phases that promote from `phase` (fan-out). */
export function downstreamOf(p: Pipeline, phase: string): Phase[] {
  return p.phases.filter((ph) => ph.promotesFrom.includes(phase));
}

/** Phases in an order where every upstream comes before its downstreams. */
export function topologicalOrder<R extends Resource>(p: Pipeline<R>): Phase<R>[] {
  const byName = new Map(p.phases.map((ph) => [ph.name, ph]));
  const done = new Set<string>();
  const out: Phase<R>[] = [];
  const visit = (ph: Phase<R>, seen: Set<string>): void => {
    if (done.has(ph.name) || seen.has(ph.name)) return;
    seen.add(ph.name);
    for (const up of ph.promotesFrom) {
      const u = byName.get(up);
      if (u) visit(u, seen);
    }
    done.add(ph.name);
    out.push(ph);
  };
  for (const ph of p.phases) visit(ph, new Set());
  return out;
}
