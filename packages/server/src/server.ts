import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Runtime } from '@gantry/config';
import { findPhase, findPipeline, parseDuration, proposalProvidersKey } from '@gantry/core';
import type { Store } from '@gantry/store';
import { openStore } from '@gantry/store';
import { serve } from '@hono/node-server';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createApp } from './app.js';
import type { AppEnv, ServerDeps } from './context.js';
import { createEventBus } from './events.js';
import { createMetrics } from './metrics.js';
import { imageProvenance } from './image-provenance.js';
import { startNotifications } from './notifications.js';
import { signatureFacts } from '@gantry/signatures';
import { labelKeysOf, runtimeSourceFacts } from './source-facts.js';
import { artifactSupplier } from './artifact-facts.js';
import { proposalCommits } from './proposal-commits.js';
import { runtimeArtifactReports } from './artifact-reports.js';
import { runtimeProvenance } from './chain-read.js';
import { createPromotionService } from './promotion-service.js';
import { createReconciler } from './reconciler.js';
import { DEFAULT_SCHEDULES, startScheduler } from './scheduler.js';
import { startDeliveryGauges } from './delivery-gauges.js';
import { startHistoryRetention } from './history-retention.js';
import { claimSqliteServer } from './serve-lock.js';
import { createStateCache } from './state-cache.js';
import { boundHeapGrowth } from './heap-growth.js';
import { createWebhookHandler } from './webhooks/handler.js';
import { promotionPage } from './promotion-page.js';

export interface StartServerOptions {
  readonly runtime: Runtime;
  /** Overrides `server.host` (default 127.0.0.1). */
  readonly host?: string;
  /** Overrides `server.port` (default 8080; 0 picks a free one). */
  readonly port?: number;
  /** This replica's name in claims and logs (default host-pid-random). */
  readonly replica?: string;
  /** Collect Node's default process metrics too (off in tests that run several servers). */
  readonly defaultMetrics?: boolean;
  /** Serve on no port: tests call `app.request()` (default false). */
  readonly listen?: boolean;
  /**
   * Read every pipeline before listening (default true: the first request sees them all).
   * `false` listens at once and reads meanwhile, as `gantry serve` does: a fleet's first
   * observation takes tens of seconds, and a liveness probe should not see a dead server
   * meanwhile; `/readyz` answers 503 `not_ready` until it ends, and schedules start then.
   */
  readonly observeBeforeListening?: boolean;
  /**
   * The time of gates, soak periods, stored timestamps and deployer reports (default the wall
   * clock): tests move it instead of waiting.
   */
  readonly clock?: () => Date;
}

export interface RunningServer {
  readonly app: OpenAPIHono<AppEnv>;
  readonly deps: ServerDeps;
  readonly store: Store;
  /** `http://host:port` when listening. */
  readonly url: string | undefined;
  /** Settles when every pipeline has been read once (at once with `observeBeforeListening`). */
  readonly observed: Promise<void>;
  close(): Promise<void>;
}

const secretsOf = (sources: Record<string, { webhookSecret?: string | undefined }> | undefined) =>
  Object.fromEntries(
    Object.entries(sources ?? {}).flatMap(([name, s]) => (s.webhookSecret ? [[name, s.webhookSecret] as const] : [])),
  );

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Starts a Gantry server for a runtime: opens the store (SQLite in the data directory,
 * or `server.databaseUrl`), settles promotions a crash left unfinished, reads every
 * pipeline once (before listening, or while listening with `observeBeforeListening: false`),
 * then runs the schedules.
 */
export async function startServer(o: StartServerOptions): Promise<RunningServer> {
  const { runtime } = o;
  const config = runtime.loaded.config.server ?? {};
  const logger = runtime.logger.child({ component: 'server' });
  // a server that listens keeps its heap near what it holds (tests serving app.request() do not)
  if (o.listen !== false) {
    const flag = boundHeapGrowth();
    if (flag) logger.debug({ flag }, 'heap growth bounded');
  }
  const store = await openStore({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    sqlitePath: join(runtime.dataDir, 'gantry.db'),
    logger,
    ...(o.clock ? { now: o.clock } : {}),
  });
  // one server per SQLite file; replicas share PostgreSQL
  const serveLock =
    store.dialect === 'sqlite' && store.location !== ':memory:'
      ? await claimSqliteServer(store.location).catch(async (e: unknown) => {
          await store.close();
          throw e;
        })
      : undefined;
  // replicas on one database take turns pushing to a repository instead of racing
  if (store.dialect === 'postgres') runtime.repositories.useWriteLock(store.writeLock);
  const open = (await store.listTokens()).every((t) => t.revokedAt !== undefined);
  let host = o.host ?? config.host ?? '127.0.0.1';
  if (open && !LOOPBACK.has(host)) {
    logger.warn(
      { requested: host },
      'no API token exists: listening on 127.0.0.1 only (create one with gantry token create)',
    );
    host = '127.0.0.1';
  }
  const replica = o.replica ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const bus = createEventBus();
  const metrics = createMetrics({ defaultMetrics: o.defaultMetrics ?? false });
  const state = createStateCache(runtime.engine, bus, logger, store, {
    registries: runtime.registries,
    repositories: runtime.repositories,
  });
  const artifacts = runtimeArtifactReports(runtime, store, bus);
  const notifications = startNotifications({
    config: runtime.loaded.config.notifications,
    system: runtime.system,
    bus,
    store,
    logger,
    provenance: imageProvenance(runtime.system, runtime.registries, labelKeysOf(runtime)),
  });
  const dashboardLink = promotionPage(runtime.loaded.config.notifications?.dashboardUrl);
  const promotions = createPromotionService({
    engine: runtime.engine,
    store,
    bus,
    state,
    metrics,
    logger,
    owner: replica,
    workDir: runtime.loaded.dir,
    signatures: signatureFacts(runtime.system, runtime.registries),
    // CI's artifact report first: its branch and author beat what the image's labels say
    sourceFacts: runtimeSourceFacts(runtime, [artifactSupplier(store, artifacts.reverify)]),
    ...(o.clock ? { clock: o.clock } : {}),
    ...(runtime.services.has(proposalProvidersKey) ? { proposals: runtime.services.get(proposalProvidersKey) } : {}),
    ...(dashboardLink ? { promotionUrl: dashboardLink } : {}),
    proposalCommits: proposalCommits(store),
    ancestry: async (pipeline, phase, ancestor, descendant) => {
      const subject = findPhase(findPipeline(runtime.system, pipeline), phase).source.subject;
      if (subject?.kind !== 'git') return false;
      return runtime.repositories.repository(subject.repository).isAncestor(ancestor, descendant);
    },
    // a version verified in a phase may move on: downstream auto-promotion reconciles now
    onVerification: (p) => {
      if (p.verification?.state === 'verified')
        // at once, not coalesced: nothing else is gathering for this moment, and the next phase waits on it
        void reconciler
          .reconcile([p.pipeline], { kind: 'policy', policy: 'verified' })
          .catch((e: unknown) =>
            logger.warn({ pipeline: p.pipeline, err: String(e) }, 'reconcile after verification failed'),
          );
    },
  });
  // promotions changed by other replicas reach this replica's event stream too
  /** A listener of the change feed: what it does after an await, a failure logged rather than unhandled. */
  const relay =
    <T>(what: string, fn: (x: T) => Promise<void>) =>
    (x: T) =>
      void fn(x).catch((e: unknown) => logger.warn({ err: String(e) }, `relaying ${what} from the change feed failed`));
  const unlisten = await store.onPromotionChange(
    relay('a promotion', async (change) => {
      if (change.store === store.id) return;
      const p = await store.getPromotion(change.id).catch(() => undefined);
      if (p) bus.publish({ type: 'promotion', promotion: p });
    }),
  );
  // and so do holds set or released and artifacts reported through other replicas
  const unlistenRecords = await store.onRecordChange(
    relay('a hold or an artifact', async (notice) => {
      if (notice.store === store.id) return;
      if (notice.kind === 'hold') {
        const hold = await store.getHold(notice.id).catch(() => undefined);
        if (hold) bus.publish({ type: 'hold', hold, change: notice.change });
      } else {
        const artifact = await store.getArtifact(notice.id).catch(() => undefined);
        if (artifact) bus.publish({ type: 'artifact', artifact, outcome: notice.outcome });
      }
    }),
  );
  const reconciler = createReconciler({
    system: runtime.system,
    state,
    promotions,
    metrics,
    logger,
    isVerified: async (pipeline, phase, digest) =>
      (await store.committedPromotions(pipeline, phase)).find((p) => p.toDigest === digest)?.verification?.state ===
      'verified',
  });
  const webhooks = createWebhookHandler({
    system: runtime.system,
    secret: config.webhookSecret,
    sourceSecrets: {
      registries: secretsOf(runtime.loaded.config.registries),
      repositories: secretsOf(runtime.loaded.config.repositories),
    },
    // resolved URLs (a relative path in gantry.yaml is absolute here), as the clones use them
    repositoryUrls: Object.fromEntries(
      runtime.repositories.names.map((n) => [n, runtime.repositories.repository(n).url]),
    ),
    reconciler,
    remoteChanged: (name) => runtime.repositories.repository(name).expire(),
    registryChanged: (repository, registry) => runtime.registries.changed(repository, registry),
    metrics,
    logger,
    providerRepositories: Object.fromEntries(
      Object.entries(runtime.loaded.config.repositories ?? {}).flatMap(([name, r]) =>
        r.provider ? [[name, r.provider.repository] as const] : [],
      ),
    ),
    proposalChanged: (change) => promotions.proposalChanged(change),
    proposalBaseMoved: (phases) => promotions.proposalBaseMoved(phases),
    proposalChecksChanged: (c) => promotions.proposalChecksChanged(c),
  });
  let ready = false;
  const deps: ServerDeps = {
    engine: runtime.engine,
    store,
    state,
    promotions,
    bus,
    metrics,
    logger,
    permissions: (config.permissions ?? []).map((r) => ({ pipeline: r.pipeline, phase: r.phase, role: r.role })),
    open,
    webhooks,
    reconciler,
    artifacts,
    provenance: runtimeProvenance(runtime),
    ...(o.clock ? { clock: o.clock } : {}),
    ready: () => ready,
  };
  const app = createApp(deps, {
    ...(o.clock ? { clock: o.clock } : {}),
    webhookMaxBodyBytes: config.webhooks?.maxBodyBytes,
    deployers: {
      ...(config.webhooks?.flux ? { flux: config.webhooks.flux.secret } : {}),
      ...(config.webhooks?.argocd ? { argocd: config.webhooks.argocd.secret } : {}),
    },
  });

  await promotions.recover();
  // what a crash kept from being delivered goes out again, under the same idempotency keys
  void notifications.replay().catch((e: unknown) => logger.warn({ err: String(e) }, 'notification replay failed'));

  /** Started once every pipeline has been read: schedules, delivery gauges, history retention. */
  let running: { stop(): Promise<void> } | undefined;
  let closing = false;
  const afterFirstObservation = () => {
    ready = true;
    promotions.kick();
    const scheduler = startScheduler({
      system: runtime.system,
      store,
      reconciler,
      schedules: config.schedules ?? DEFAULT_SCHEDULES,
      logger,
    });
    // delivery metrics as Prometheus gauges: the fleet once now, then a phase whenever its promotions settle
    const deliveryGauges = startDeliveryGauges({
      store,
      system: runtime.system,
      bus,
      registry: metrics.registry,
      logger,
      ...(config.metrics?.window ? { windowMs: parseDuration(config.metrics.window).ms } : {}),
    });
    // history is kept unless a retention is configured
    const retention = config.history?.retention
      ? startHistoryRetention({ store, retentionMs: parseDuration(config.history.retention).ms, logger })
      : undefined;
    running = {
      async stop() {
        scheduler.stop();
        await deliveryGauges.close();
        await retention?.close();
      },
    };
  };
  const observeAll = async (): Promise<void> => {
    const t0 = Date.now();
    await state.refresh();
    logger.info({ pipelines: runtime.system.pipelines.length, ms: Date.now() - t0 }, 'every pipeline observed');
    if (!closing) afterFirstObservation();
  };

  let observed: Promise<void>;
  if (o.observeBeforeListening !== false) {
    await observeAll();
    observed = Promise.resolve();
  } else {
    // read while listening: /healthz answers at once, /readyz once every pipeline is read
    observed = observeAll();
    observed.catch((e: unknown) => {
      if (!closing) logger.error({ err: String(e) }, 'the first observation of every pipeline failed');
    });
  }

  let url: string | undefined;
  let httpServer: ReturnType<typeof serve> | undefined;
  if (o.listen !== false) {
    const port = o.port ?? config.port ?? 8080;
    httpServer = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
    });
    const address = httpServer.address() as AddressInfo;
    url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    logger.info({ url, replica, open, database: store.location, ready }, 'gantry server listening');
  }

  return {
    app,
    deps,
    store,
    url,
    observed,
    async close() {
      closing = true;
      await running?.stop();
      // reconciles request promotions: stop them first, then let running promotions finish
      await reconciler.stop();
      await promotions.stop();
      await notifications.close();
      unlisten();
      unlistenRecords();
      if (httpServer) {
        const s = httpServer;
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
      }
      await store.close();
      await serveLock?.release();
    },
  };
}
