import type { Engine, Logger, PromotionPlan } from '@gantry/core';
import { findPhase, findPipeline, GantryError, PromotionBlockedError } from '@gantry/core';
import type { NewPromotion, Promotion, Store, Trigger } from '@gantry/store';
import { UNFINISHED_STATES } from '@gantry/store';
import { crashPoint } from './crash-point.js';
import type { EventBus } from './events.js';
import type { Metrics } from './metrics.js';
import { ApiError } from './problem.js';
import type { StateCache } from './state-cache.js';

export interface PromotionRequest {
  readonly pipeline: string;
  readonly phase: string;
  /** An explicit version (release) as JSON of the pipeline's resource type. */
  readonly target?: unknown;
  /** Roll back to the version an earlier promotion wrote (a new forward commit). */
  readonly rollbackOf?: string;
  readonly trigger: Trigger;
  readonly reason?: string;
}

export type RequestOutcome =
  | { readonly kind: 'queued'; readonly promotion: Promotion; readonly plan: PromotionPlan }
  | { readonly kind: 'in-sync'; readonly plan: PromotionPlan };

export interface PromotionService {
  /** The plan a request would run: the diff preview, computed exactly as the promotion will be. */
  plan(request: Omit<PromotionRequest, 'trigger'>): Promise<PromotionPlan>;
  /** Plans, records a queued promotion (superseding older queued ones unless the phase queues) and starts it. */
  request(request: PromotionRequest): Promise<RequestOutcome>;
  /**
   * Settles promotions a dead process left unfinished, against what the remote holds: a
   * commit with the promotion's id means it succeeded; no commit puts it back in its place
   * in the queue (up to 3 claims), after which it fails as `interrupted`.
   */
  recover(): Promise<{ readonly succeeded: number; readonly failed: number; readonly retried: number }>;
  /** Resolves when no promotion of this process is running or claimable. */
  idle(): Promise<void>;
  /** Looks for claimable work now (also done on a timer, for work queued by other replicas). */
  kick(): void;
  stop(): Promise<void>;
}

export interface PromotionServiceOptions {
  readonly engine: Engine;
  readonly store: Store;
  readonly bus: EventBus;
  readonly state: StateCache;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** This replica's name, recorded on claims. */
  readonly owner: string;
  /** Promotions of different phases this process runs at once. */
  readonly concurrency?: number;
}

/** Claims of one promotion after which recovery gives up retrying it (a promotion that kills its worker). */
const MAX_ATTEMPTS = 3;

const errorOf = (e: unknown) =>
  e instanceof GantryError
    ? { code: e.code, message: e.message }
    : { code: 'internal', message: String((e as Error)?.message ?? e) };

/** Someone else moved the promotion first (another survivor's recovery, or a newer claim): ours is dropped. */
const lostRace = (e: unknown): boolean =>
  e instanceof GantryError && (e.code === 'illegal_transition' || e.code === 'stale_claim');

export function createPromotionService(o: PromotionServiceOptions): PromotionService {
  const { engine, store, bus, logger } = o;
  const concurrency = o.concurrency ?? 8;
  const running = new Set<Promise<void>>();
  let pumping: Promise<void> | undefined;
  let stopped = false;

  const publish = (p: Promotion) => bus.publish({ type: 'promotion', promotion: p });

  /** Applies a transition that may lose a race: its winner's state stands, and ours is dropped. */
  async function settle(fn: () => Promise<Promotion>): Promise<boolean> {
    try {
      publish(await fn());
      return true;
    } catch (e) {
      if (lostRace(e)) return false;
      throw e;
    }
  }

  async function resolveTarget(r: Omit<PromotionRequest, 'trigger'>): Promise<{ target?: unknown; reason?: string }> {
    if (r.rollbackOf === undefined) return { target: r.target, ...(r.reason ? { reason: r.reason } : {}) };
    const earlier = await store.getPromotion(r.rollbackOf);
    if (!earlier || earlier.pipeline !== r.pipeline || earlier.phase !== r.phase) {
      throw new ApiError('not_found', `no promotion ${r.rollbackOf} of ${r.pipeline}/${r.phase} to roll back to`);
    }
    return { target: earlier.target, reason: r.reason ?? `rollback to ${earlier.toVersion} (promotion ${earlier.id})` };
  }

  async function plan(r: Omit<PromotionRequest, 'trigger'>): Promise<PromotionPlan> {
    const { target, reason } = await resolveTarget(r);
    return engine.plan(r.pipeline, r.phase, {
      ...(target !== undefined ? { target } : {}),
      ...(reason ? { reason } : {}),
    });
  }

  async function execute(p: Promotion): Promise<void> {
    publish(p);
    const started = performance.now();
    // every transition is for this claim only: if recovery elsewhere judged it dead and another replica claimed it, ours lose
    const claim = { ifAttempt: p.attempts };
    let result = 'failed';
    try {
      crashPoint('after-claim');
      const outcome = await engine.promote(p.pipeline, p.phase, {
        target: p.target,
        reason: p.reason,
        promotionId: p.id,
        onProgress: (e) => {
          if (e.type === 'written') crashPoint('after-push');
        },
      });
      if (outcome.kind === 'promoted') {
        const sha = outcome.revision.id;
        publish(
          await store.transition(p.id, 'committed', {
            ...claim,
            commitSha: sha,
            detail: { attempts: outcome.attempts },
          }),
        );
        crashPoint('after-commit-recorded');
        publish(await store.transition(p.id, 'pushed', { ...claim, commitSha: sha }));
        publish(await store.transition(p.id, 'succeeded', claim));
        result = 'succeeded';
      } else {
        // the phase already held the version when the write reached it: nothing to commit
        publish(await store.transition(p.id, 'succeeded', { ...claim, detail: { noop: outcome.kind } }));
        result = 'noop';
      }
    } catch (e) {
      if (lostRace(e)) {
        result = 'settled-elsewhere';
        logger.info({ promotion: p.id, err: errorOf(e) }, 'promotion settled by another worker; this attempt stops');
      } else {
        logger.warn({ promotion: p.id, err: errorOf(e) }, 'promotion failed');
        await settle(() => store.transition(p.id, 'failed', { ...claim, error: errorOf(e) })).catch((err: unknown) =>
          logger.error({ promotion: p.id, err: errorOf(err) }, 'recording the failure failed'),
        );
      }
    } finally {
      o.metrics.promotions.inc({ pipeline: p.pipeline, phase: p.phase, result });
      o.metrics.promotionSeconds.observe(
        { pipeline: p.pipeline, phase: p.phase },
        (performance.now() - started) / 1000,
      );
      await o.state.refresh([p.pipeline]).catch(() => undefined);
    }
  }

  async function pump(): Promise<void> {
    while (!stopped && running.size < concurrency) {
      const claimed = await store.claimNextQueued({ owner: o.owner });
      if (!claimed) return;
      const job: Promise<void> = execute(claimed)
        .catch((e: unknown) => logger.error({ promotion: claimed.id, err: errorOf(e) }, 'promotion worker failed'))
        .finally(() => {
          running.delete(job);
          kick();
        });
      running.add(job);
    }
  }

  let again = false;
  function kick(): void {
    if (stopped) return;
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

  /** Requests for one phase are planned and recorded one at a time in this process, so none duplicates another. */
  const phaseTurns = new Map<string, Promise<unknown>>();
  function oneAtATime<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = phaseTurns.get(key) ?? Promise.resolve();
    const turn = before.catch(() => undefined).then(fn);
    phaseTurns.set(key, turn);
    void turn.then(
      () => phaseTurns.get(key) === turn && phaseTurns.delete(key),
      () => phaseTurns.get(key) === turn && phaseTurns.delete(key),
    );
    return turn;
  }

  /** An unfinished promotion of the phase to exactly this version, if one is queued or running. */
  async function unfinishedTo(pipeline: string, phase: string, digest: string): Promise<Promotion | undefined> {
    const recent = await store.listPromotions({ pipeline, phase, limit: 20 });
    return recent.items.find((p) => UNFINISHED_STATES.includes(p.state) && p.toDigest === digest);
  }

  async function requestNow(r: PromotionRequest): Promise<RequestOutcome> {
    const pipeline = findPipeline(engine.system, r.pipeline);
    const phase = findPhase(pipeline, r.phase);
    const pl = await plan(r);
    if (pl.kind === 'blocked') throw new PromotionBlockedError(pl.reason, { pipeline: pl.pipeline, phase: pl.phase });
    if (pl.kind === 'in-sync') return { kind: 'in-sync', plan: pl };
    // the same version already on its way (a webhook and a schedule, two clicks): that promotion answers both
    const existing = await unfinishedTo(pl.pipeline, pl.phase, pl.target.digest);
    if (existing) return { kind: 'queued', promotion: existing, plan: pl };
    const promotion = await store.createPromotion({
      pipeline: pl.pipeline,
      phase: pl.phase,
      ...(pl.from !== undefined ? { fromPhase: pl.from } : {}),
      ...(pl.current ? { fromDigest: pl.current.digest, fromVersion: pl.current.version } : {}),
      toDigest: pl.target.digest,
      toVersion: pl.target.version,
      target: pl.target.resource as unknown as NewPromotion['target'],
      trigger: r.trigger,
      reason: pl.reason,
    });
    publish(promotion);
    if (phase.queue === 'supersede') {
      for (const id of await store.supersedeQueued(pl.pipeline, pl.phase, promotion.id)) {
        const superseded = await store.getPromotion(id);
        if (superseded) publish(superseded);
      }
    }
    kick();
    return { kind: 'queued', promotion, plan: pl };
  }

  let ticks = 0;
  let recovering: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    kick();
    // every 5 s, settle what replicas that died left behind
    if (++ticks % 5 === 0 && !recovering) {
      recovering = service.recover().catch((e) => logger.warn({ err: errorOf(e) }, 'recovery failed'));
      void recovering.finally(() => {
        recovering = undefined;
      });
    }
  }, 1000);
  timer.unref();

  const service: PromotionService = {
    plan,
    request: (r) => oneAtATime(`${r.pipeline}/${r.phase}`, () => requestNow(r)),
    async recover() {
      let succeeded = 0;
      let failed = 0;
      let retried = 0;
      for (const p of await store.orphanedPromotions()) {
        const landed = await engine.findPromotion(p.pipeline, p.phase, p.id).catch(() => undefined);
        if (landed) {
          const patch = { commitSha: landed.id, ifAttempt: p.attempts, detail: { recovered: true, by: o.owner } };
          const settled = await settle(async () => {
            if (p.state === 'running') await store.transition(p.id, 'committed', patch);
            if (p.state !== 'pushed') await store.transition(p.id, 'pushed', patch);
            return store.transition(p.id, 'succeeded', patch);
          });
          if (settled) succeeded++;
        } else if (p.state !== 'pushed' && p.attempts < MAX_ATTEMPTS) {
          // nothing reached the remote: put it back in its place in the queue for any replica to run
          if (
            await settle(() =>
              store.transition(p.id, 'queued', {
                ifAttempt: p.attempts,
                detail: { recovered: true, by: o.owner, retry: true },
              }),
            )
          ) {
            retried++;
          }
        } else {
          const error = {
            code: 'interrupted',
            message: `the server stopped ${p.attempts} time(s) before this promotion reached the remote; nothing was written; promote again`,
          };
          const patch = { error, ifAttempt: p.attempts, detail: { recovered: true, by: o.owner } };
          if (await settle(() => store.transition(p.id, 'failed', patch))) failed++;
        }
      }
      if (succeeded + failed + retried > 0)
        logger.info({ succeeded, failed, retried }, 'recovered unfinished promotions');
      if (retried > 0) kick();
      return { succeeded, failed, retried };
    },
    async idle() {
      for (;;) {
        kick();
        while (pumping) await pumping;
        if (running.size === 0) return;
        await Promise.all([...running]);
      }
    },
    kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await recovering;
      await pumping;
      await Promise.all([...running]);
    },
  };
  return service;
}
