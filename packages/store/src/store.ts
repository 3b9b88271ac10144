import type { PromotionFeedQuery } from './promotion-feed.js';
import { listAllPromotions } from './promotion-feed.js';
import { randomUUID } from 'node:crypto';
import type { Duration, Logger, WriteLock } from '@gantry/core';
import { GantryError, silentLogger } from '@gantry/core';
import type { Kysely, MigrationResultSet } from 'kysely';
import { Migrator, sql } from 'kysely';
import { listAudit, recordAudit } from './audit.js';
import type { ChangeListener, RecordListener } from './changes.js';
import { localChangeFeed, postgresChangeFeed } from './changes.js';
import { connect, resolveLocation } from './connection.js';
import { advisoryLocks, fileSessionLocks, processLocks } from './session-locks.js';
import type { Dialect } from './migrations.js';
import { migrationProvider } from './migrations.js';
import type { PromotionState } from './promotion-state.js';
import type { Database } from './schema.js';
import type { Leases, StoreContext } from './store-context.js';
import { claimNextQueued, orphanedPromotions } from './claims.js';
import type { DeliveryCheck } from './deliveries.js';
import { countDeliveries, rememberDeliveries } from './deliveries.js';
import type { DeploymentStore } from './deployment-store.js';
import type { ArtifactStore } from './artifact-store.js';
import { artifactStore } from './artifact-store.js';
import type { GateStore } from './gate-store.js';
import { gateStore } from './gate-store.js';
import type { HistoryStore } from './history-store.js';
import { historyStore } from './history-store.js';
import type { ProvenanceStore } from './provenance-store.js';
import { provenanceStore } from './provenance-store.js';
import type { ProposalStore } from './proposal-store.js';
import { proposalStore } from './proposal-store.js';
import type { OverrideStore } from './override-store.js';
import { overrideStore } from './override-store.js';
import { deploymentStore } from './deployment-store.js';
import {
  createPromotion,
  getPromotion,
  listPromotions,
  supersedeQueued,
  transition,
  unfinishedPromotions,
} from './promotions.js';
import { createToken, listTokens, revokeToken, verifyToken } from './tokens.js';
import { writeTransaction } from './write-transaction.js';
import { advisoryWriteLock, processWriteLock } from './write-lock.js';
import type {
  AuditEntry,
  NewAuditEntry,
  NewPromotion,
  NewToken,
  Page,
  Promotion,
  PromotionQuery,
  PromotionWithEvents,
  TokenRecord,
  TransitionPatch,
} from './types.js';

export interface StoreOptions {
  /** `postgres://` or `postgresql://` selects PostgreSQL; anything else (or nothing) SQLite. */
  readonly databaseUrl?: string;
  /** The SQLite file (created with its directory); `:memory:` for a throwaway store. */
  readonly sqlitePath?: string;
  readonly logger?: Logger;
  /** The clock for stored timestamps; tests may pin it. */
  readonly now?: () => Date;
  /** PostgreSQL pool size (default 10). */
  readonly poolSize?: number;
}

/** Durable state of a Gantry server: promotions, tokens, audit, leadership. */
export interface Store
  extends DeploymentStore,
    GateStore,
    OverrideStore,
    ArtifactStore,
    HistoryStore,
    ProvenanceStore,
    ProposalStore {
  readonly dialect: Dialect;
  /** This store's id (a UUID), recorded as the lease on the promotions it claims. */
  readonly id: string;
  /** The database location, password masked: safe to log. */
  readonly location: string;
  /** Names of the migrations this open applied (empty when the schema was current). */
  readonly migrationsApplied: readonly string[];

  createPromotion(input: NewPromotion): Promise<Promotion>;
  /**
   * Moves a promotion to `to` and records the event; throws `illegal_transition`
   * (IllegalTransitionError) when its current state does not lead there (also when a
   * concurrent transition got there first) or `unknown_promotion`. Start promotions
   * with `claimNextQueued`, not `transition(id, 'running')`: only claims keep one
   * promotion per phase running.
   */
  transition(id: string, to: PromotionState, patch?: TransitionPatch): Promise<Promotion>;
  getPromotion(id: string): Promise<PromotionWithEvents | undefined>;
  listPromotions(query: PromotionQuery): Promise<Page<Promotion>>;
  /** Every pipeline's promotions, newest first (`gantry history` without a pipeline). */
  listAllPromotions(query: PromotionFeedQuery): Promise<Page<Promotion>>;
  /** Queued and active promotions, oldest first: everything not yet settled, by any replica. */
  unfinishedPromotions(): Promise<Promotion[]>;
  /**
   * Active (running, committed, pushed) promotions whose claiming store is gone (its
   * process died or it closed): what crash recovery must resolve. Promotions other
   * live replicas (PostgreSQL) or this store are working on are not included. On
   * SQLite only this store's claims count as alive. Oldest first.
   */
  orphanedPromotions(): Promise<Promotion[]>;
  /**
   * Atomically moves the oldest claimable queued promotion to running (a phase with a
   * running, committed or pushed promotion is skipped), at most once across all
   * stores on the database. Undefined when there is nothing to claim.
   */
  claimNextQueued(options: { owner: string }): Promise<Promotion | undefined>;
  /** Claims this queued promotion, if it is next in its phase's queue and the phase has none active. */
  claimPromotion(id: string, options: { owner: string }): Promise<Promotion | undefined>;
  supersedeQueued(pipeline: string, phase: string, exceptId: string): Promise<string[]>;

  /** True if this store holds (or just took) the named leadership; SQLite: always true. */
  tryAcquireLeadership(name: string): Promise<boolean>;
  releaseLeadership(name: string): Promise<void>;

  createToken(input: NewToken): Promise<{ token: string; record: TokenRecord }>;
  verifyToken(plain: string): Promise<TokenRecord | undefined>;
  listTokens(): Promise<TokenRecord[]>;
  revokeToken(id: string): Promise<boolean>;

  recordAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  listAudit(query: { limit?: number; cursor?: string }): Promise<Page<AuditEntry>>;

  /**
   * Remembers webhook delivery ids for `retention` and says which were already seen within
   * it (a replay); older ids are pruned first. Atomic across replicas.
   */
  rememberDeliveries(ids: readonly string[], retention: Duration): Promise<DeliveryCheck>;
  /** How many delivery ids are remembered. */
  countDeliveries(): Promise<number>;

  /**
   * Calls `listener` for every committed promotion state change by any store on this
   * database (PostgreSQL: LISTEN/NOTIFY, so other replicas' changes too; SQLite: the
   * stores of this process). Resolves once listening; returns the unsubscribe function.
   * Best effort: after a reconnect, re-read rather than trust that nothing was missed.
   */
  onPromotionChange(listener: ChangeListener): Promise<() => void>;
  /**
   * Calls `listener` for every hold set or released and every artifact recorded or changed by
   * any store on this database, as `onPromotionChange` does for promotions: a replica streams
   * what was decided or reported through another.
   */
  onRecordChange(listener: RecordListener): Promise<() => void>;

  /** Serializes writes across every store on this database (PostgreSQL advisory locks). */
  readonly writeLock: WriteLock;

  /** Closes the pool / file and gives up any leadership. */
  close(): Promise<void>;
}

/**
 * Opens the store and brings its schema to the latest migration. Throws
 * StoreUnreachableError (`store_unreachable`) when the database cannot be reached.
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const logger = options.logger ?? silentLogger;
  const location = resolveLocation(options);
  const { db, dialect } = await connect(location, logger, options.poolSize ?? 10);

  // SQLite: Kysely runs migrations without a transaction or lock there; one IMMEDIATE
  // transaction makes them atomic and serializes processes opening a new file together.
  // PostgreSQL: Kysely's migrator takes an advisory lock and a transaction itself.
  // PostgreSQL: Kysely looks for its bookkeeping tables in every schema unless told
  // which one, so a second installation (or test) in another schema would find the
  // first one's tables and skip creating its own.
  const migrationTableSchema = dialect === 'postgres' ? await currentSchema(db, location.display) : undefined;
  const migrate = (on: Kysely<Database>) =>
    new Migrator({ db: on, provider: migrationProvider(dialect), migrationTableSchema }).migrateToLatest();
  const { error, results = [] } =
    dialect === 'sqlite'
      ? await writeTransaction(db, dialect, async (conn) => {
          const r = await migrate(conn);
          if (r.error) throw r.error;
          return r;
        }).catch((e: unknown) => ({ error: e, results: undefined }))
      : await migratePostgres(() => migrate(db), migrationTableSchema);
  if (error) {
    await db.destroy();
    const message = error instanceof Error ? error.message : String(error);
    throw new GantryError(
      'store_migration_failed',
      `migrating the database at ${location.display} failed: ${message}`,
      { location: location.display },
      { cause: error },
    );
  }
  const migrationsApplied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (migrationsApplied.length > 0) logger.info({ migrations: migrationsApplied, dialect }, 'database migrated');

  const locks =
    location.dialect === 'postgres'
      ? advisoryLocks(location.url, logger)
      : location.path === ':memory:'
        ? processLocks()
        : fileSessionLocks(`${location.path}.locks`);
  const writeLock = location.dialect === 'postgres' ? advisoryWriteLock(location.url) : processWriteLock();
  const storeId = randomUUID();
  const leases: Leases = {
    id: storeId,
    async hold() {
      if (!(await locks.tryAcquire(`lease/${storeId}`))) {
        throw new GantryError('store_lease_unavailable', `cannot take a claim lease on ${location.display}`, {
          location: location.display,
        });
      }
    },
    // a claim lives as long as its store's lease lock: a database session (PostgreSQL), a file lock (SQLite)
    alive: async (lease) => lease === storeId || (lease !== null && (await locks.heldElsewhere(`lease/${lease}`))),
  };
  const changes =
    location.dialect === 'postgres' ? postgresChangeFeed(location.url, logger) : localChangeFeed(location.path);
  const ctx: StoreContext = { db, dialect, now: options.now ?? (() => new Date()), changes, leases };
  let closed: Promise<void> | undefined;

  return {
    dialect,
    id: storeId,
    location: location.display,
    migrationsApplied,
    createPromotion: (input) => createPromotion(ctx, input),
    transition: (id, to, patch) => transition(ctx, id, to, patch),
    getPromotion: (id) => getPromotion(ctx, id),
    listPromotions: (q) => listPromotions(ctx, q),
    listAllPromotions: (q) => listAllPromotions(ctx, q),
    unfinishedPromotions: () => unfinishedPromotions(ctx),
    claimNextQueued: ({ owner }) => claimNextQueued(ctx, owner),
    claimPromotion: (id, { owner }) => claimNextQueued(ctx, owner, id),
    supersedeQueued: (pipeline, phase, exceptId) => supersedeQueued(ctx, pipeline, phase, exceptId),
    orphanedPromotions: () => orphanedPromotions(ctx),
    tryAcquireLeadership: (name) => locks.tryAcquire(`leader/${name}`),
    releaseLeadership: (name) => locks.release(`leader/${name}`),
    createToken: (input) => createToken(ctx, input),
    verifyToken: (plain) => verifyToken(ctx, plain),
    listTokens: () => listTokens(ctx),
    revokeToken: (id) => revokeToken(ctx, id),
    recordAudit: (entry) => recordAudit(ctx, entry),
    listAudit: (q) => listAudit(ctx, q),
    rememberDeliveries: (ids, retention) => rememberDeliveries(ctx, ids, retention),
    countDeliveries: () => countDeliveries(ctx),
    ...deploymentStore(ctx),
    ...gateStore(ctx),
    ...overrideStore(ctx),
    ...artifactStore(ctx),
    ...historyStore(ctx),
    ...provenanceStore(ctx),
    ...proposalStore(ctx),
    onPromotionChange: (listener) => changes.subscribe(listener),
    onRecordChange: (listener) => changes.subscribeRecords(listener),
    writeLock,
    close() {
      closed ??= (async () => {
        await changes.close();
        await locks.close();
        await writeLock.close();
        await db.destroy();
      })();
      return closed;
    },
  };
}

/** The schema unqualified names resolve to (search_path), which must exist. */
async function currentSchema(db: Kysely<Database>, location: string): Promise<string> {
  const r = await sql<{ schema: string | null; path: string }>`
    select current_schema() as schema, current_setting('search_path') as path`.execute(db);
  const row = r.rows[0];
  if (!row?.schema) {
    await db.destroy();
    throw new GantryError(
      'store_no_schema',
      `the database at ${location} has no schema to work in: search_path is "${row?.path ?? ''}"; create that schema first`,
      { location, searchPath: row?.path },
    );
  }
  return row.schema;
}

/**
 * Kysely's migrator introspects every schema of the database; another schema being
 * dropped meanwhile makes that query fail with "schema ... does not exist" (3F000).
 * That says nothing about ours, so try again.
 */
async function migratePostgres(
  migrate: () => Promise<MigrationResultSet>,
  ours: string | undefined,
): Promise<MigrationResultSet> {
  for (let attempt = 1; ; attempt++) {
    const r = await migrate();
    const e = r.error as { code?: unknown; message?: unknown } | undefined;
    const foreign = e?.code === '3F000' && typeof e.message === 'string' && !e.message.includes(`"${ours}"`);
    if (!foreign || attempt >= 5) return r;
  }
}
