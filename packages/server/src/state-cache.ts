import type { Engine, Logger, PipelineStatus } from '@gantry/core';
import { findPipeline } from '@gantry/core';
import type { GitRepositories } from '@gantry/git';
import { withFetchRound } from '@gantry/git';
import type { Registries } from '@gantry/oci';
import { withCachedReads } from '@gantry/oci';
import type { EventBus } from './events.js';
import type { PromotionLookup, TrackedPhaseStatus } from './phase-tracking.js';
import { createPhaseTracking } from './phase-tracking.js';
import { createReadPool } from './read-pool.js';
import type { SeenAt, WarnedPhaseStatus } from './stale-phases.js';
import { keepLastKnown, markThrottled } from './stale-phases.js';
import { warmGitReads } from './warm-reads.js';

/**
 * The last observed state of every pipeline. The API answers from here, so a list of a
 * thousand pipelines costs no Git or registry call; schedules, webhooks and promotions
 * refresh it, and each phase that changed is published on the event bus. With the store
 * to look in, each phase also carries the deployment and verification of the promotion
 * that brought its current version, kept current by the promotion events on the bus.
 */
export interface StateCache {
  list(): readonly PipelineStatus[];
  get(pipeline: string): PipelineStatus | undefined;
  readonly observedAt: Date | undefined;
  /**
   * Counts every change of what `list()` serves (a read stored, a promotion's deployment or
   * verification shown, a registry's warning): answers built from the list are kept while it
   * stays the same, which costs one comparison instead of looking at 10,000 pipelines.
   */
  readonly version: number;
  /** Reads the named pipelines (default all) again; concurrent calls for one pipeline share one read. */
  refresh(pipelines?: readonly string[]): Promise<PipelineStatus[]>;
}

export interface StateCacheOptions {
  /**
   * The registries: phases reading one that asks to wait (429/503) say so meanwhile, and keep
   * their last known state, marked stale, when the read is given up.
   */
  readonly registries?: Pick<Registries, 'rateLimits' | 'onRateLimit'>;
  /** Pipelines read at once per group of sources (pipelines reading the same registries and repositories); default 16. */
  readonly readsPerGroup?: number;
  /** The Git repositories: a round of many pipelines asks each for all its files at once first (see `warmGitReads`). */
  readonly repositories?: Pick<GitRepositories, 'repository'>;
}

/**
 * The list leaves out what only the one-pipeline view needs: the resource object (its
 * digest and version stay), upstream digests (their versions stay), commit messages and
 * trailers. A thousand pipelines stay small enough to serve hundreds of times a second.
 */
export function listEntry(p: PipelineStatus): PipelineStatus {
  return {
    ...p,
    phases: p.phases.map((ph) => {
      const { resource: _r, ...rest } = ph;
      const setBy = ph.setBy
        ? {
            id: ph.setBy.id,
            ...(ph.setBy.time ? { time: ph.setBy.time } : {}),
            ...(ph.setBy.author ? { author: ph.setBy.author } : {}),
          }
        : undefined;
      return {
        ...rest,
        upstreams: ph.upstreams.map(({ digest: _d, ...u }) => u),
        ...(setBy ? { setBy } : {}),
      };
    }),
  };
}

type Shown = TrackedPhaseStatus & WarnedPhaseStatus;

const NOT_PAUSED: ReadonlyMap<string, Date> = new Map();

/**
 * Whether a phase shows the same as before: what a watcher of the event stream is told about
 * (not its age, which moves on by itself). Compared field by field: a fleet's reconcile compares
 * 30,000 phases, and a string made of each, twice, was most of its garbage.
 */
const sameShown = (a: Shown, b: Shown): boolean =>
  a.state === b.state &&
  a.digest === b.digest &&
  a.error?.code === b.error?.code &&
  a.setBy?.id === b.setBy?.id &&
  a.promotionId === b.promotionId &&
  a.deployment?.state === b.deployment?.state &&
  a.deployment?.at === b.deployment?.at &&
  a.verification?.state === b.verification?.state &&
  a.verification?.run === b.verification?.run &&
  a.warning?.code === b.warning?.code &&
  a.warning?.stale === b.warning?.stale &&
  a.warning?.registry?.until === b.warning?.registry?.until;

/**
 * `promotions` (the store) lets phases carry their current version's deployment and
 * verification; without it they carry neither.
 */
export function createStateCache(
  engine: Engine,
  bus: EventBus,
  logger: Logger,
  promotions?: PromotionLookup,
  options: StateCacheOptions = {},
): StateCache {
  const tracking = promotions ? createPhaseTracking(engine.system, promotions, logger) : undefined;
  /** As the engine read them, and as served: with what tracking knows. */
  const observed = new Map<string, PipelineStatus>();
  const byName = new Map<string, PipelineStatus>();
  const order = engine.system.pipelines.map((p) => p.name);
  let version = 0;
  let observedAt: Date | undefined;

  /** The read of each pipeline in flight, and the one queued to start after it. */
  const running = new Map<string, Promise<PipelineStatus>>();
  const queued = new Map<string, Promise<PipelineStatus>>();
  const pool = createReadPool(engine.system.pipelines, options.readsPerGroup);
  /** When each phase was last read without a registry refusing it. */
  const seenAt: SeenAt = new Map();
  const paused = () => new Map((options.registries?.rateLimits() ?? []).map((r) => [r.registry, r.until]));

  const start = (name: string): Promise<PipelineStatus> => {
    const p = pool
      .run(name, () => engine.status(name))
      .then(async ([raw]) => {
        if (!raw) throw new Error(`no status for ${name}`);
        // which registries ask to wait matters only to a read some registry refused
        const refused = raw.phases.some((ph) => ph.error?.code === 'registry_rate_limited');
        const read = keepLastKnown(
          raw,
          observed.get(name),
          findPipeline(engine.system, name),
          refused ? paused() : NOT_PAUSED,
          seenAt,
          new Date(),
        );
        await tracking?.observe(read);
        observed.set(name, read);
        observedAt = new Date();
        return serve(read);
      });
    running.set(name, p);
    void p.then(
      () => running.get(name) === p && running.delete(name),
      () => running.get(name) === p && running.delete(name),
    );
    return p;
  };

  /** Stores what is served of a pipeline and publishes each phase that changed. */
  const serve = (read: PipelineStatus): PipelineStatus => {
    const status = tracking ? { ...read, phases: read.phases.map((ph) => tracking.apply(ph)) } : read;
    return store(status);
  };
  const store = (status: PipelineStatus): PipelineStatus => {
    const before = byName.get(status.pipeline);
    byName.set(status.pipeline, status);
    version++;
    status.phases.forEach((ph, i) => {
      // phases keep their order from read to read; a pipeline whose phases changed is looked up by name
      const was =
        before?.phases[i]?.phase === ph.phase ? before.phases[i] : before?.phases.find((b) => b.phase === ph.phase);
      if (!was || !sameShown(was, ph)) bus.publish({ type: 'phase', status: ph });
    });
    return status;
  };

  // a registry asked to wait: phases whose read waits on it say so until the read returns
  options.registries?.onRateLimit(() => {
    const now = paused();
    for (const name of running.keys()) {
      const current = byName.get(name);
      if (!current) continue;
      const marked = markThrottled(current, findPipeline(engine.system, name), now);
      if (marked !== current) store(marked);
    }
  });

  // a promotion's deployment or verification changed: the phase it brought its version to shows it
  bus.subscribe((e) => {
    if (e.type !== 'promotion' || !tracking) return;
    const read = observed.get(e.promotion.pipeline);
    if (
      read &&
      tracking.promotionChanged(
        e.promotion,
        read.phases.find((ph) => ph.phase === e.promotion.phase),
      )
    )
      serve(read);
  });

  /**
   * A read that starts no earlier than this call: a read already in flight may have begun
   * before what the caller knows changed (a webhook's push), so callers during it share one
   * read queued behind it instead of its possibly stale answer.
   */
  const readOne = (name: string): Promise<PipelineStatus> => {
    const waiting = queued.get(name);
    if (waiting) return waiting;
    const current = running.get(name);
    if (!current) return start(name);
    const next = current
      .catch(() => undefined)
      .then(() => {
        queued.delete(name);
        return start(name);
      });
    queued.set(name, next);
    return next;
  };

  return {
    list: () => order.flatMap((n) => byName.get(n) ?? []),
    get: (name) => {
      findPipeline(engine.system, name);
      return byName.get(name);
    },
    get observedAt() {
      return observedAt;
    },
    get version() {
      return version;
    },
    async refresh(pipelines = order) {
      const started = Date.now();
      // one round of cached registry reads: each tag asked once, fresh tag lists used as they are;
      // and one fetch per Git repository, however long the round lasts
      const out = await withCachedReads(() =>
        withFetchRound(() => {
          if (options.repositories)
            warmGitReads(
              pipelines.map((n) => findPipeline(engine.system, n)),
              options.repositories,
            );
          return Promise.all(pipelines.map(readOne));
        }),
      );
      logger.debug({ pipelines: pipelines.length, ms: Date.now() - started }, 'state refreshed');
      return out;
    },
  };
}
