import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import type { Logger } from '@gantry/core';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import pg from 'pg';
import type { PromotionState } from './promotion-state.js';
import type { Database } from './schema.js';

/** A promotion entered a state (it was created, claimed, transitioned or superseded). */
export interface PromotionChange {
  readonly id: string;
  readonly pipeline: string;
  readonly phase: string;
  readonly state: PromotionState;
  readonly at: string;
  /** The id of the store that made the change: a server skips its own. */
  readonly store: string;
}

export type ChangeListener = (change: PromotionChange) => void;

/** A hold was set or released, or an artifact recorded or updated, by the store `store`. */
export type RecordNotice =
  | { readonly kind: 'hold'; readonly id: string; readonly change: 'set' | 'released'; readonly store: string }
  | { readonly kind: 'artifact'; readonly id: string; readonly outcome: 'created' | 'updated'; readonly store: string };

export type RecordListener = (notice: RecordNotice) => void;

/**
 * Tells every store on the database about committed promotion changes, so that a
 * server can stream them (SSE) and replicas can claim new work without waiting for a poll;
 * and, on the same channel, about holds and artifacts written (`RecordNotice`), so that every
 * replica streams those too.
 * Delivery is best effort: a listener that (re)connects should re-read what it shows.
 */
export interface ChangeFeed {
  /** Inside the write transaction: PostgreSQL delivers NOTIFY only if it commits. */
  inTransaction(trx: Kysely<Database>, change: PromotionChange): Promise<void>;
  /** After the write transaction committed. */
  committed(changes: readonly PromotionChange[]): void;
  subscribe(listener: ChangeListener): Promise<() => void>;
  /** Tells every store about a committed hold or artifact write (outside any transaction). */
  announce(db: Kysely<Database>, notice: RecordNotice): Promise<void>;
  subscribeRecords(listener: RecordListener): Promise<() => void>;
  close(): Promise<void>;
}

/** A listener whose throw cannot break the feed. */
const guarded =
  <T>(listener: (x: T) => void) =>
  (x: T) => {
    try {
      listener(x);
    } catch {}
  };

const CHANNEL = 'gantry_promotions';

// One bus per SQLite file, shared by the stores of this process (SQLite serves one process).
const localBuses = new Map<string, EventEmitter>();

export function localChangeFeed(path: string): ChangeFeed {
  const key = path === ':memory:' ? `:memory:${randomUUID()}` : resolve(path);
  const bus = localBuses.get(key) ?? new EventEmitter().setMaxListeners(0);
  localBuses.set(key, bus);
  /** How to stop each listener this feed added. */
  const mine = new Set<() => void>();
  const on = <T>(event: string, listener: (x: T) => void) => {
    const safe = guarded(listener);
    bus.on(event, safe);
    const off = () => {
      mine.delete(off);
      bus.off(event, safe);
    };
    mine.add(off);
    return off;
  };
  return {
    inTransaction: async () => {},
    committed(changes) {
      for (const c of changes) bus.emit('change', c);
    },
    subscribe: async (listener) => on('change', listener),
    announce: async (_db, notice) => {
      bus.emit('record', notice);
    },
    subscribeRecords: async (listener) => on('record', listener),
    async close() {
      for (const off of [...mine]) off();
      if (bus.listenerCount('change') + bus.listenerCount('record') === 0) localBuses.delete(key);
    },
  };
}

/**
 * LISTEN/NOTIFY on a dedicated connection. Channels are database-wide, so each
 * payload carries the schema and listeners only take their own schema's changes.
 */
export function postgresChangeFeed(url: string, logger: Logger): ChangeFeed {
  const listeners = new Set<ChangeListener>();
  const recordListeners = new Set<RecordListener>();
  let client: Promise<pg.Client> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;

  const dispatch = (schema: string, payload: string | undefined) => {
    const space = payload?.indexOf(' ') ?? -1;
    if (!payload || space < 0 || payload.slice(0, space) !== schema) return;
    const parsed = JSON.parse(payload.slice(space + 1)) as PromotionChange | RecordNotice;
    // a promotion's change carries no `kind` (as replicas of earlier versions send it)
    if ('kind' in parsed) for (const l of recordListeners) guarded(l)(parsed);
    else for (const l of listeners) guarded(l)(parsed);
  };

  const connect = (): Promise<pg.Client> => {
    if (!client) {
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
      c.on('error', (e) => {
        logger.warn({ err: e.message }, 'promotion change feed lost its connection; reconnecting');
        client = undefined;
        void c.end().catch(() => {});
        if (!closed && listeners.size + recordListeners.size > 0) {
          retry = setTimeout(() => void connect().catch(() => {}), 1000);
          retry.unref();
        }
      });
      client = (async () => {
        await c.connect();
        const r = await c.query<{ schema: string }>('select current_schema() as schema');
        const schema = r.rows[0]?.schema ?? 'public';
        c.on('notification', (n) => {
          if (n.channel === CHANNEL) dispatch(schema, n.payload);
        });
        await c.query(`listen ${CHANNEL}`);
        return c;
      })();
      client.catch(() => {
        client = undefined;
      });
    }
    return client;
  };

  const listen = async <T>(set: Set<T>, listener: T): Promise<() => void> => {
    set.add(listener);
    try {
      await connect();
    } catch (e) {
      set.delete(listener);
      throw e;
    }
    return () => {
      set.delete(listener);
    };
  };

  return {
    async inTransaction(trx, change) {
      await sql`select pg_notify(${CHANNEL}, current_schema() || ' ' || ${JSON.stringify(change)})`.execute(trx);
    },
    committed() {},
    subscribe: (listener) => listen(listeners, listener),
    async announce(db, notice) {
      // best effort, as the feed is: the write it tells of is committed whatever happens here
      await sql`select pg_notify(${CHANNEL}, current_schema() || ' ' || ${JSON.stringify(notice)})`
        .execute(db)
        .catch((e: unknown) =>
          logger.warn({ err: String(e), kind: notice.kind, id: notice.id }, 'other replicas were not told of a write'),
        );
    },
    subscribeRecords: (listener) => listen(recordListeners, listener),
    async close() {
      closed = true;
      listeners.clear();
      recordListeners.clear();
      if (retry) clearTimeout(retry);
      const c = client;
      client = undefined;
      if (c) await (await c.catch(() => undefined))?.end();
    },
  };
}
