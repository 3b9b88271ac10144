import { setTimeout as sleep } from 'node:timers/promises';
import type { PromotionPlan } from '@gantry/core';
import { findPhase, findPipeline, hasVerification } from '@gantry/core';
import type { DeploymentEvent } from '@gantry/deployments';
import type { Promotion, Trigger } from '@gantry/store';
import { PromotionNotFoundError } from '@gantry/store';
import type { Hold } from '@gantry/store';
import { TERMINAL_STATES, UNFINISHED_STATES } from '@gantry/store';
import type { GateEvaluation } from './gates.js';
import { gatesOfPlan } from './gates.js';
import { holdsOn } from './holds.js';
import { decide, reconsiderAll } from './waiting.js';
import type { Overridden, OverrideRequest } from './override.js';
import { overrideGate } from './override.js';
import { errorOf } from './errors.js';
import type { Execution } from './execute.js';
import { executeClaimed } from './execute.js';
import { NotVerifiableError } from './not-verifiable-error.js';
import type { LifecycleOptions } from './ports.js';
import type { Recovered } from './recover.js';
import { recoverOrphans } from './recover.js';
import type { PromotionRequest, RequestOutcome } from './request.js';
import { planRequest, recordRequest } from './request.js';
import type { Ingested } from './tracking.js';
import { createTracker } from './tracking.js';
import { createTurns } from './turns.js';
import { createVerifier } from './verification.js';
import type { ProposalChange } from './proposals.js';
import { createProposals } from './proposals.js';

/** A promotion that a CLI command asked for and saw to its end. */
export interface OwnPromotion {
  /** As recorded when it settled. */
  readonly promotion: Promotion;
  /** Set when this process ran it (another process may have claimed it first). */
  readonly execution?: Execution;
}

/**
 * A promotion's life after the plan, the same for `gantry serve` and a local CLI command:
 * request (plan, record queued, supersede) -> claim -> apply (engine.promote) -> record each
 * step -> recover what dead processes left. Everything is recorded in the store, so history
 * and `gantry track` see every promotion wherever it ran.
 */
export interface Lifecycle {
  plan(request: Omit<PromotionRequest, 'trigger'>): Promise<PromotionPlan>;
  /** Plans and records; a server's workers pick it up (`background`), a CLI calls `runOwn`. */
  request(request: PromotionRequest): Promise<RequestOutcome>;
  /**
   * Runs this queued promotion in this process if it can claim it; otherwise (another
   * process claimed it, or an earlier one of its phase runs) waits until it settles.
   */
  runOwn(id: string, options?: { pollMs?: number }): Promise<OwnPromotion>;
  /** Settles recovery: orphaned promotions, and verifications a dead process left running. */
  recover(): Promise<Recovered>;
  /** A deployer's report (Flux, Argo CD): recorded, matched to phases, settles their promotions. */
  ingest(event: DeploymentEvent): Promise<Ingested>;
  /**
   * Runs a succeeded promotion's verification again (a new run); its verdict replaces the last
   * one. Throws NotVerifiableError when it has not succeeded, its phase proves nothing, or its
   * deployer has not reported it healthy.
   */
  reverify(id: string): Promise<Promotion | undefined>;
  /** Resolves when no promotion of this process is running or claimable. */
  idle(): Promise<void>;
  /** A person approves or rejects a waiting promotion (for its exact version); its gates are judged again. */
  decide(q: {
    id: string;
    actor: string;
    role: string;
    decision: 'approve' | 'reject';
    comment?: string;
  }): Promise<Promotion>;
  /** Judges every waiting promotion's gates again (also done on a timer, and after a verification). */
  reconsider(): Promise<void>;
  /**
   * An admin overrides a window gate (closed window or freeze) of a phase with a reason, for a
   * version or any; the phase's waiting promotions are judged again at once.
   */
  override(q: OverrideRequest): Promise<Overridden>;
  /**
   * Why a version is (not) in a phase: the plan, every gate's verdict with its evidence and
   * what would unblock it, and the pins and pauses in force. The same plan and verdicts the
   * promotion itself would use. `trigger` is who would ask: by default automation (what
   * auto-promotion meets); a person (`{ kind: 'person', actor }`) is judged as a release by
   * hand: a branch rule's manual-only branches and a skip marker let it through, and the
   * person's own approval does not count.
   */
  why(q: { pipeline: string; phase: string; target?: unknown; trigger?: Trigger }): Promise<Why>;
  /**
   * A provider's news about a pull request (the `pull_request` webhook): merged -> the promotion
   * succeeded with the merge commit; closed unmerged -> failed. Undefined when it is no open
   * proposal of Gantry's (or was settled already).
   */
  proposalChanged(change: ProposalChange): Promise<Promotion | undefined>;
  /**
   * Reads open proposals whose provider polls (conditional requests; all of them with `force`),
   * and closes those no longer needed (also done on a timer).
   */
  checkProposals(options?: { force?: boolean }): Promise<void>;
  /**
   * These phases' branches were pushed to (a Git push webhook): their open proposals are
   * rebuilt on the new tip (or fail with `proposal_conflict`), or closed when no longer needed.
   */
  proposalBaseMoved(phases: readonly { pipeline: string; phase: string }[]): Promise<void>;
  /**
   * A commit status or check run changed on `sha` (GitHub's `status`/`check_run`/`check_suite`
   * webhooks): the open proposals whose head it is record their checks again (and merge, where
   * Gantry merges by itself). Answers those proposals' promotions.
   */
  proposalChecksChanged(c: { provider: 'github' | 'gitlab'; repository: string; sha: string }): Promise<Promotion[]>;
  /** Looks for claimable work now (also done on a timer, for work queued by other processes). */
  kick(): void;
  stop(): Promise<void>;
}

/** What `gantry why` answers. */
export interface Why {
  readonly plan: PromotionPlan;
  readonly gates?: GateEvaluation;
  readonly holds: readonly Hold[];
  /** Promotions of the phase not yet settled (waiting on gates, queued, running). */
  readonly unfinished: readonly Promotion[];
}

export function createLifecycle(o: LifecycleOptions): Lifecycle {
  const { store, logger } = o;
  const concurrency = o.concurrency ?? 8;
  const running = new Set<Promise<unknown>>();
  const turns = createTurns();
  let pumping: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const publish = (p: Promotion) => o.events?.publish({ type: 'promotion', promotion: p });
  let reconsidering: Promise<void> | undefined;
  const reconsiderNow = (): Promise<void> => {
    reconsidering ??= reconsiderAll(o, publish)
      .then((queued) => {
        if (queued) kick();
      })
      .finally(() => {
        reconsidering = undefined;
      });
    return reconsidering;
  };
  // a verdict upstream (soak, fan-in) may release promotions waiting downstream
  const verifier = createVerifier({
    ...o,
    publish,
    onVerification: (p) => {
      o.onVerification?.(p);
      void reconsiderNow().catch(() => undefined);
    },
  });
  const tracker = createTracker({ ...o, publish, verifier });

  /** A phase verified by checks alone starts them once a promotion succeeded; with a deployer, when it reports healthy. */
  const startChecks = async (succeeded: Promotion) => {
    const phase = findPhase(findPipeline(o.engine.system, succeeded.pipeline), succeeded.phase);
    if (!phase.deployer && (phase.verify?.checks?.length ?? 0) > 0) {
      const done = await store.getPromotion(succeeded.id);
      if (done) void track(verifier.start(done));
    }
  };
  const proposals = createProposals(o, { publish, onSucceeded: startChecks });

  /** Runs a promotion this process claimed; a phase verified by checks alone starts them once it succeeded. */
  const execute = async (claimed: Promotion) => {
    const execution = await executeClaimed(o, claimed, publish, proposals.supersedeEarlier);
    if (execution.result === 'succeeded') await startChecks(claimed);
    return execution;
  };

  const track = <T>(job: Promise<T>): Promise<T> => {
    running.add(job);
    const done = () => running.delete(job);
    job.then(done, done);
    return job;
  };

  async function pump(): Promise<void> {
    while (!stopped && running.size < concurrency) {
      const claimed = await store.claimNextQueued({ owner: o.owner });
      if (!claimed) return;
      void track(
        execute(claimed)
          .catch((e: unknown) => logger.error({ promotion: claimed.id, err: errorOf(e) }, 'promotion worker failed'))
          .finally(() => kick()),
      );
    }
  }

  function kick(): void {
    if (stopped || !o.background) return;
    if (pumping) {
      // a claim loop is running: look again when it ends, so nothing waits for the timer
      again = true;
      return;
    }
    again = false;
    pumping = pump()
      .catch((e) => logger.error({ err: errorOf(e) }, 'claiming promotions failed'))
      .finally(() => {
        pumping = undefined;
        if (again) kick();
      });
  }

  let ticks = 0;
  let recovering: Promise<unknown> | undefined;
  let checkingProposals: Promise<unknown> | undefined;
  const timer = o.background
    ? setInterval(() => {
        kick();
        // every 5 s, judge waiting promotions again (windows open, soaks end) and settle what dead processes left
        if (++ticks % 5 === 0) void reconsiderNow().catch((e) => logger.warn({ err: errorOf(e) }, 'gates failed'));
        if (!checkingProposals) {
          // polling is due-checked per proposal; unnecessary ones are closed every 5 s
          checkingProposals = proposals
            .poll()
            .then(() => (ticks % 5 === 0 ? proposals.review() : undefined))
            .catch((e) => logger.warn({ err: errorOf(e) }, 'checking proposals failed'))
            .finally(() => {
              checkingProposals = undefined;
            });
        }
        if (ticks % 5 === 0 && !recovering) {
          recovering = lifecycle.recover().catch((e) => logger.warn({ err: errorOf(e) }, 'recovery failed'));
          void recovering.finally(() => {
            recovering = undefined;
          });
        }
      }, 1000)
    : undefined;
  timer?.unref();

  const lifecycle: Lifecycle = {
    plan: (r) => planRequest(o, r),
    request: (r) =>
      // requests for one phase are planned and recorded one at a time, so none duplicates another
      turns(`${r.pipeline}/${r.phase}`, async () => {
        const outcome = await recordRequest(o, r, publish);
        // after the caller has had its answer (an HTTP response goes out before the work starts)
        if (outcome.kind === 'queued') setImmediate(kick);
        return outcome;
      }),
    async runOwn(id, options = {}) {
      for (;;) {
        const claimed = await store.claimPromotion(id, { owner: o.owner });
        if (claimed) {
          const execution = await track(execute(claimed));
          const promotion = await store.getPromotion(id);
          if (!promotion) throw new Error(`promotion ${id} vanished`);
          return { promotion, execution };
        }
        const now = await store.getPromotion(id);
        if (!now) throw new Error(`promotion ${id} vanished`);
        // an open pull request is as far as a promotion goes by itself
        if (TERMINAL_STATES.includes(now.state) || now.state === 'proposed') return { promotion: now };
        await sleep(options.pollMs ?? 100);
      }
    },
    recover: async () => {
      const r = await recoverOrphans(o, publish);
      if (r.retried > 0) kick();
      await verifier.resume();
      return r;
    },
    ingest: (event) => tracker.ingest(event),
    proposalChanged: (change) => proposals.changed(change),
    proposalBaseMoved: (phases) => proposals.baseMoved(phases),
    proposalChecksChanged: (c) => proposals.headChecked(c),
    async checkProposals(options = {}) {
      await proposals.poll(options.force ?? false);
      await proposals.review();
    },
    async decide(q) {
      const p = await decide(o, q, publish);
      if (p.state === 'queued') kick();
      return p;
    },
    reconsider: reconsiderNow,
    async override(q) {
      const done = await overrideGate(o, q, publish);
      if (done.promotions.some((p) => p.state === 'queued')) kick();
      return done;
    },
    async why(q) {
      const plan = await planRequest(o, {
        pipeline: q.pipeline,
        phase: q.phase,
        ...(q.target !== undefined ? { target: q.target } : {}),
      });
      const [gates, holds, recent] = await Promise.all([
        gatesOfPlan(o, plan, q.trigger ?? { kind: 'policy', policy: 'auto-promotion' }),
        holdsOn(o, q.pipeline, q.phase),
        store.listPromotions({ pipeline: q.pipeline, phase: q.phase, limit: 20 }),
      ]);
      return {
        plan,
        ...(gates ? { gates } : {}),
        holds,
        unfinished: recent.items.filter((p) => UNFINISHED_STATES.includes(p.state)),
      };
    },
    async reverify(id) {
      const p = await store.getPromotion(id);
      if (!p) throw new PromotionNotFoundError(id);
      const phase = findPhase(findPipeline(o.engine.system, p.pipeline), p.phase);
      const where = `${p.pipeline}/${p.phase}`;
      if (p.state !== 'succeeded')
        throw new NotVerifiableError(id, `promotion ${id} is ${p.state}: only a succeeded promotion is verified`, {
          state: p.state,
        });
      if (!hasVerification(phase))
        throw new NotVerifiableError(id, `${where} has no verification: it names no deployer and no checks`);
      // verification starts by itself when the deployer reports healthy; before that a run would
      // judge a version that may not be running
      if (phase.deployer && p.deployment?.state !== 'healthy')
        throw new NotVerifiableError(
          id,
          `the deployer has ${p.deployment ? `reported ${p.deployment.state}` : 'not reported'} for promotion ${id}: verification runs once it reports healthy`,
          { deployment: p.deployment?.state ?? 'pending' },
        );
      return verifier.start(p);
    },
    async idle() {
      for (;;) {
        kick();
        while (pumping) await pumping;
        if (running.size === 0) return verifier.idle();
        await Promise.all([...running]);
      }
    },
    kick,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await recovering;
      await pumping;
      await verifier.stop();
      await Promise.all([...running]);
    },
  };
  return lifecycle;
}
