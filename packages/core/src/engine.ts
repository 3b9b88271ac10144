import { randomUUID } from 'node:crypto';
import { isErrorCode } from './error-codes.js';
import { GantryError, NotWritableError, PromotionBlockedError } from './errors.js';
import type { Phase, Pipeline } from './pipeline.js';
import { topologicalOrder } from './pipeline.js';
import { planPromotion, TRAILERS } from './plan.js';
import { parseTarget, verifyTarget } from './target.js';
import type { VersionSpec } from './release-version.js';
import { resolveVersion } from './release-version.js';
import type { PromotionPlan } from './plan.js';
import type { Resource } from './resource.js';
import type { ProposalRecord } from './proposal.js';
import type { ProposalCommitsLookup } from './proposal.js';
import { renderProposal } from './proposal.js';
import type { Identity, Observation, ProposeResult, Revision, SourceContext, WriteRequest } from './source.js';
import type { PhaseStatus, PipelineStatus, UpstreamComparison } from './status.js';
import type { System } from './system.js';
import { findPhase, findPipeline } from './system.js';

export interface PromoteOptions {
  /** Compute and return the plan, write nothing. */
  readonly dryRun?: boolean;
  /**
   * An explicit version (as JSON of the pipeline's resource type) instead of the
   * upstream's. Parsed (`invalid_target` naming the field) and looked up where the
   * pipeline reads versions (`target_not_found`) before anything is read or written.
   */
  readonly target?: unknown;
  /** Why, in the caller's words; kept as the plan's reason (and so on the promotion's record). */
  readonly reason?: string;
  /** Who asked: the commit's `Gantry-Actor` trailer. */
  readonly actor?: string;
  /** The promotion a rollback reverts: the message says rollback, `Gantry-Reverts` names it. */
  readonly rollbackOf?: string;
  /** The commit's author (a person's Git identity); the configured identity stays committer. */
  readonly author?: Identity;
  readonly promotionId?: string;
  /** Where the dashboard shows this promotion: a proposal's body links to it. */
  readonly promotionUrl?: string;
  /** The source commits of the replaced and the promoted version, for a proposal's body. */
  readonly proposalCommits?: ProposalCommitsLookup;
  readonly onProgress?: (event: PromotionProgress) => void;
}

/** What a plan depends on besides the sources: the explicit version and the words of the commit. */
export type PlanOptions = Pick<PromoteOptions, 'target' | 'reason' | 'actor' | 'rollbackOf'>;

export type PromotionProgress =
  | { readonly type: 'reading'; readonly phases: readonly string[] }
  | { readonly type: 'planned'; readonly plan: PromotionPlan }
  | { readonly type: 'writing'; readonly promotionId: string }
  | { readonly type: 'written'; readonly revision: Revision; readonly attempts: number };

export type PromotionOutcome =
  | { readonly kind: 'in-sync'; readonly plan: PromotionPlan }
  | { readonly kind: 'dry-run'; readonly plan: PromotionPlan }
  | {
      readonly kind: 'promoted';
      readonly plan: PromotionPlan;
      readonly promotionId: string;
      readonly revision: Revision;
      readonly attempts: number;
    }
  /** A phase with `write: proposal`: the commit is on the proposal branch and its pull request is open. */
  | {
      readonly kind: 'proposed';
      readonly plan: PromotionPlan;
      readonly promotionId: string;
      /** The commit on the proposal branch. */
      readonly revision: Revision;
      readonly proposal: ProposalRecord;
    }
  /** Someone else wrote the same version between our read and our write. */
  | { readonly kind: 'unchanged'; readonly plan: PromotionPlan; readonly promotionId: string };

export interface Engine {
  readonly system: System;
  status(pipeline?: string): Promise<PipelineStatus[]>;
  plan(pipeline: string, phase: string, options?: PlanOptions): Promise<PromotionPlan>;
  /**
   * The resource a release of a version named by tag/version or digest writes into `phase`,
   * resolved where the phase takes versions from (`target_not_found`, `invalid_target`).
   */
  resolveVersion(pipeline: string, phase: string, spec: VersionSpec): Promise<Resource>;
  promote(pipeline: string, phase: string, options?: PromoteOptions): Promise<PromotionOutcome>;
  /**
   * Where a promotion's write landed, if it did: `undefined` when the source holds no
   * commit of it, or cannot tell (a source without `findPromotion`).
   */
  findPromotion(pipeline: string, phase: string, promotionId: string): Promise<Revision | undefined>;
  /**
   * An open proposal whose phase's branch moved under it (someone merged something else):
   * the same change re-applied by the updater on the new tip and force-pushed to the proposal
   * branch, or a conflict when the version line itself changed on the branch.
   */
  rebaseProposal?(pipeline: string, phase: string, options: RebaseProposalOptions): Promise<ProposalRebase>;
}

/** Which proposal to rebuild, and how to tell whether its base moved. */
export interface RebaseProposalOptions extends PromoteOptions {
  /** The commit the proposal branch holds now. */
  readonly headSha: string;
  /** The version the proposal replaces (the promotion's `fromDigest`); absent: the file held none. */
  readonly fromDigest?: string;
  /** Whether `ancestor` is `descendant` or one of its ancestors in the phase's repository. */
  readonly isAncestor: (ancestor: string, descendant: string) => Promise<boolean>;
}

/** What became of a proposal whose base may have moved. */
export type ProposalRebase =
  /** The proposal is on the branch's tip (or the branch holds nothing Gantry can read). */
  | { readonly kind: 'current' }
  /** The branch already holds the version, or the plan changed: the proposal's review settles it. */
  | { readonly kind: 'unneeded' }
  /** The version line changed on the branch: the change no longer applies as proposed. */
  | { readonly kind: 'conflict'; readonly base: string; readonly found?: string }
  /** Rebuilt on `base` and force-pushed; the pull request was updated. */
  | { readonly kind: 'rebased'; readonly base: string; readonly revision: Revision; readonly proposal: ProposalRecord };

export interface EngineOptions {
  readonly system: System;
  readonly context: SourceContext;
  readonly now?: () => Date;
}

type Observed = { ok: true; observation: Observation<Resource> } | { ok: false; error: GantryError };
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function asGantryError(e: unknown): GantryError {
  if (e instanceof GantryError) return e;
  const err = e as { code?: unknown; message?: unknown };
  // a plain error from a custom source is a bug there; its own code (ENOENT...) stays in the context
  return new GantryError(
    isErrorCode(err.code) ? err.code : 'internal',
    String(err.message ?? e),
    typeof err.code === 'string' ? { originalCode: err.code } : {},
    { cause: e },
  );
}

/** A phase asks for proposals but its source cannot make one (not a Git file, or a custom source). */
export class ProposalUnsupportedError extends GantryError {
  constructor(pipeline: string, phase: string, source: string) {
    super(
      'proposal_unsupported',
      `phase "${pipeline}/${phase}" has write: proposal, but its source (${source}) cannot open pull requests: use a git file source`,
      { pipeline, phase, source },
    );
  }
}

/** The promotion engine: reads sources, plans purely, then applies the plan. */
export function createEngine(options: EngineOptions): Engine {
  const { system, context } = options;
  const now = options.now ?? (() => new Date());

  const observe = async (phase: Phase<Resource>): Promise<Observed> => {
    try {
      return { ok: true, observation: await phase.source.read(context) };
    } catch (e) {
      return { ok: false, error: asGantryError(e) };
    }
  };

  /**
   * A resource's digest and version text, made once per resource object: a source that reads
   * the same version again gives the same object (a Git file's text unchanged, an image's tag
   * on the same digest), so a fleet's reconcile neither hashes nor formats 30,000 of them again,
   * and the statuses it keeps share one string each.
   */
  const facts = new WeakMap<object, { readonly digest: string; readonly version: string }>();
  const factsOf = (p: Pipeline<Resource>, r: Resource) => {
    let f = facts.get(r);
    if (!f) {
      f = { digest: p.resource.digest(r), version: p.resource.describe(r) };
      facts.set(r, f);
    }
    return f;
  };

  /** Each pipeline's phases in order, worked out once (a reconcile asks it of every pipeline). */
  const ordered = new WeakMap<Pipeline<Resource>, readonly Phase<Resource>[]>();
  const orderOf = (p: Pipeline<Resource>) => {
    let order = ordered.get(p);
    if (!order) {
      order = topologicalOrder(p);
      ordered.set(p, order);
    }
    return order;
  };

  const pipelineStatus = async (p: Pipeline<Resource>): Promise<PipelineStatus> => {
    const observed = new Map(await Promise.all(p.phases.map(async (ph) => [ph.name, await observe(ph)] as const)));
    // one clock reading for the pipeline's ages: its phases are read together
    let at: number | undefined;
    const phases = orderOf(p).map((ph): PhaseStatus => {
      const o = observed.get(ph.name) as Observed;
      const source = ph.source.describe();
      const writable = ph.source.writable;
      if (!o.ok)
        return {
          pipeline: p.name,
          phase: ph.name,
          labels: ph.labels,
          source,
          writable,
          state: 'error',
          upstreams: [],
          error: { code: o.error.code, message: o.error.message },
        };
      const r = o.observation.resource;
      const own = r === undefined ? undefined : factsOf(p, r);
      const digest = own?.digest;
      const upstreams = ph.promotesFrom.map((up): UpstreamComparison => {
        const uo = observed.get(up);
        const ur = uo?.ok ? uo.observation.resource : undefined;
        if (ur === undefined) return { phase: up, inSync: false };
        const u = factsOf(p, ur);
        return { phase: up, digest: u.digest, version: u.version, inSync: u.digest === digest };
      });
      const setBy = o.observation.setBy;
      const state =
        r === undefined
          ? 'empty'
          : upstreams.length === 0
            ? 'source'
            : upstreams.every((u) => u.inSync || u.digest === undefined)
              ? 'in-sync'
              : 'behind';
      // built field by field (a reconcile makes one per phase of the fleet), in the order the API shows them
      const status: Mutable<PhaseStatus> = {
        pipeline: p.name,
        phase: ph.name,
        labels: ph.labels,
        source,
        writable,
        state,
        upstreams,
      };
      if (r !== undefined && own) {
        status.resource = r;
        status.digest = own.digest;
        status.version = own.version;
      }
      if (setBy) status.setBy = setBy;
      if (setBy?.time) {
        at ??= now().getTime();
        status.age = { ms: at - setBy.time.getTime() };
      }
      return status;
    });
    return { pipeline: p.name, labels: p.labels, phases };
  };

  const planWithObservation = async (
    pipelineName: string,
    phaseName: string,
    o: PlanOptions,
  ): Promise<{ plan: PromotionPlan; current: Observation<Resource> }> => {
    const p = findPipeline(system, pipelineName);
    const phase = findPhase(p, phaseName);
    if (!phase.source.writable) throw new NotWritableError(p.name, phase.name);
    // an explicit version is checked before anything is read: its shape, then where it lives
    const target = o.target === undefined ? undefined : parseTarget(p, o.target);
    const ups = target === undefined ? phase.promotesFrom.map((n) => findPhase(p, n)) : [];
    const [observations] = await Promise.all([
      Promise.all([phase, ...ups].map(observe)),
      target === undefined ? undefined : verifyTarget(p, phase, target, context),
    ]);
    const [current, ...upstreams] = observations.map((r) => {
      if (!r.ok) throw r.error;
      return r.observation;
    }) as [Observation<Resource>, ...Observation<Resource>[]];
    const plan = planPromotion({
      pipeline: p,
      phase,
      current,
      upstreams: ups.map((u, i) => ({ phase: u.name, observation: upstreams[i] as Observation<Resource> })),
      ...(target ? { target: { resource: target } } : {}),
      ...(o.reason !== undefined ? { reason: o.reason } : {}),
      ...(o.actor !== undefined ? { actor: o.actor } : {}),
      ...(o.rollbackOf !== undefined ? { rollbackOf: o.rollbackOf } : {}),
    });
    return { plan, current };
  };

  /** The same plan and commit as a direct write; only where it lands differs: a proposal branch and its pull request. */
  const propose = async (
    p: Pipeline<Resource>,
    phase: Phase<Resource>,
    pl: Extract<PromotionPlan, { kind: 'promote' }>,
    request: WriteRequest<Resource>,
    o: PromoteOptions,
  ): Promise<ProposeResult> => {
    if (!phase.source.writable || !phase.source.propose)
      throw new ProposalUnsupportedError(p.name, phase.name, phase.source.describe());
    const commits = await o
      .proposalCommits?.({
        pipeline: pl.pipeline,
        phase: pl.phase,
        ...(pl.current ? { from: { digest: pl.current.digest, resource: pl.current.resource } } : {}),
        to: { digest: pl.target.digest, resource: pl.target.resource },
      })
      // the body reads well without them: a lookup that failed costs the link, not the promotion
      .catch(() => undefined);
    const proposal = renderProposal(pl, phase.proposal, o.promotionUrl, commits);
    return phase.source.propose({ ...request, proposal }, context);
  };

  return {
    system,
    async status(name) {
      const pipelines = name === undefined ? system.pipelines : [findPipeline(system, name)];
      return Promise.all(pipelines.map(pipelineStatus));
    },
    plan: async (pipelineName, phaseName, o = {}) => (await planWithObservation(pipelineName, phaseName, o)).plan,
    async resolveVersion(pipelineName, phaseName, spec) {
      const p = findPipeline(system, pipelineName);
      return resolveVersion(p, findPhase(p, phaseName), spec, context);
    },
    async promote(pipelineName, phaseName, o = {}) {
      const p = findPipeline(system, pipelineName);
      const phase = findPhase(p, phaseName);
      o.onProgress?.({ type: 'reading', phases: [phase.name, ...phase.promotesFrom] });
      const { plan: pl, current } = await planWithObservation(pipelineName, phaseName, o);
      o.onProgress?.({ type: 'planned', plan: pl });
      if (pl.kind === 'blocked') throw new PromotionBlockedError(pl.reason, { pipeline: pl.pipeline, phase: pl.phase });
      if (pl.kind === 'in-sync') return { kind: 'in-sync', plan: pl };
      if (o.dryRun) return { kind: 'dry-run', plan: pl };
      if (!phase.source.writable) throw new NotWritableError(p.name, phase.name);
      const promotionId = o.promotionId ?? randomUUID();
      o.onProgress?.({ type: 'writing', promotionId });
      const request = {
        target: pl.target.resource,
        promotionId,
        message: pl.message,
        trailers: { ...pl.trailers, [TRAILERS.promotionId]: promotionId },
        ...(o.author ? { author: o.author } : {}),
        ...(current.snapshot ? { base: current.snapshot } : {}),
      };
      if (phase.write === 'proposal') {
        const proposed = await propose(p, phase, pl, request, o);
        if (proposed.kind === 'unchanged') return { kind: 'unchanged', plan: pl, promotionId };
        o.onProgress?.({ type: 'written', revision: proposed.revision, attempts: 1 });
        return { kind: 'proposed', plan: pl, promotionId, revision: proposed.revision, proposal: proposed.proposal };
      }
      const result = await phase.source.write(request, context);
      if (result.kind === 'unchanged') return { kind: 'unchanged', plan: pl, promotionId };
      o.onProgress?.({ type: 'written', revision: result.revision, attempts: result.attempts });
      return { kind: 'promoted', plan: pl, promotionId, revision: result.revision, attempts: result.attempts };
    },
    async rebaseProposal(pipelineName, phaseName, o) {
      const p = findPipeline(system, pipelineName);
      const phase = findPhase(p, phaseName);
      if (phase.write !== 'proposal' || !phase.source.writable) return { kind: 'unneeded' };
      const { plan: pl, current } = await planWithObservation(pipelineName, phaseName, o);
      if (pl.kind !== 'promote') return { kind: 'unneeded' };
      const base = current.snapshot?.revision;
      if (!base || (await o.isAncestor(base, o.headSha))) return { kind: 'current' };
      // someone changed the version on the branch: re-applying ours would silently undo theirs
      if (pl.current?.digest !== o.fromDigest)
        return { kind: 'conflict', base, ...(pl.current ? { found: pl.current.version } : {}) };
      const promotionId = o.promotionId ?? randomUUID();
      const request = {
        target: pl.target.resource,
        promotionId,
        message: pl.message,
        trailers: { ...pl.trailers, [TRAILERS.promotionId]: promotionId },
        ...(o.author ? { author: o.author } : {}),
        ...(current.snapshot ? { base: current.snapshot } : {}),
      };
      const proposed = await propose(p, phase, pl, request, o);
      if (proposed.kind === 'unchanged') return { kind: 'unneeded' };
      if (proposed.pushed === false) return { kind: 'current' };
      return {
        kind: 'rebased',
        base: proposed.base ?? base,
        revision: proposed.revision,
        proposal: proposed.proposal,
      };
    },
    async findPromotion(pipelineName, phaseName, promotionId) {
      const phase = findPhase(findPipeline(system, pipelineName), phaseName);
      if (!phase.source.writable || !phase.source.findPromotion) return undefined;
      return phase.source.findPromotion(promotionId, context);
    },
  };
}
