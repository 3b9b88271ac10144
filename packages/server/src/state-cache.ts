import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Engine, Logger, PhaseStatus, PipelineStatus } from '@gantry/core';
import { findPipeline } from '@gantry/core';
import type { EventBus } from './events.js';

/**
 * The last observed state of every pipeline. The API answers from here, so a list of a
 * thousand pipelines costs no Git or registry call; schedules, webhooks and promotions
 * refresh it, and each phase that changed is published on the event bus.
 */
export interface StateCache {
  list(): readonly PipelineStatus[];
  /** The whole list, serialized (and gzipped) once per change: the API's hot path. */
  listBody(): ListBody;
  /** `listBody().json`. */
  listJson(): string;
  get(pipeline: string): PipelineStatus | undefined;
  readonly observedAt: Date | undefined;
  /** Reads the named pipelines (default all) again; concurrent calls for one pipeline share one read. */
  refresh(pipelines?: readonly string[]): Promise<PipelineStatus[]>;
}

export interface ListBody {
  readonly json: string;
  readonly gzip: Buffer;
  /** A strong validator for conditional requests. */
  readonly etag: string;
}

/**
 * The list leaves out what only the one-pipeline view needs: the resource object (its
 * digest and version stay), upstream digests (their versions stay), commit messages and
 * trailers. A thousand pipelines stay small enough to serve hundreds of times a second.
 */
function listEntry(p: PipelineStatus): PipelineStatus {
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

const fingerprint = (p: PhaseStatus) => `${p.state}|${p.digest ?? ''}|${p.error?.code ?? ''}|${p.setBy?.id ?? ''}`;

export function createStateCache(engine: Engine, bus: EventBus, logger: Logger): StateCache {
  const byName = new Map<string, PipelineStatus>();
  const order = engine.system.pipelines.map((p) => p.name);
  let body: ListBody | undefined;
  let observedAt: Date | undefined;

  /** The read of each pipeline in flight, and the one queued to start after it. */
  const running = new Map<string, Promise<PipelineStatus>>();
  const queued = new Map<string, Promise<PipelineStatus>>();

  const start = (name: string): Promise<PipelineStatus> => {
    const p = engine.status(name).then(([status]) => {
      if (!status) throw new Error(`no status for ${name}`);
      const before = byName.get(name);
      byName.set(name, status);
      body = undefined;
      observedAt = new Date();
      const old = new Map(before?.phases.map((ph) => [ph.phase, fingerprint(ph)]));
      for (const ph of status.phases)
        if (old.get(ph.phase) !== fingerprint(ph)) bus.publish({ type: 'phase', status: ph });
      return status;
    });
    running.set(name, p);
    void p.then(
      () => running.get(name) === p && running.delete(name),
      () => running.get(name) === p && running.delete(name),
    );
    return p;
  };

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
    listBody() {
      if (!body) {
        const json = JSON.stringify({
          pipelines: this.list().map(listEntry),
          observedAt: observedAt?.toISOString() ?? null,
        });
        body = {
          json,
          gzip: gzipSync(json),
          etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`,
        };
      }
      return body;
    },
    listJson() {
      return this.listBody().json;
    },
    get: (name) => {
      findPipeline(engine.system, name);
      return byName.get(name);
    },
    get observedAt() {
      return observedAt;
    },
    async refresh(pipelines = order) {
      const started = Date.now();
      const out = await Promise.all(pipelines.map(readOne));
      logger.debug({ pipelines: pipelines.length, ms: Date.now() - started }, 'state refreshed');
      return out;
    },
  };
}
