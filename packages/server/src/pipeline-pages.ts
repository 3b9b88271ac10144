import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { ApiPipelineSort } from '@gantry/api';
import type { PipelineStatus } from '@gantry/core';
import type { PipelineQuery } from './pipeline-query.js';
import { encodeCursor, matches, queryKey, sortKey } from './pipeline-query.js';

/** A filtered or paged list as served: its JSON, a strong validator, and its gzip (made when first asked). */
export interface PageAnswer {
  readonly json: string;
  readonly etag: string;
  gzip(): Buffer;
}

/** What the pages are answered from: the state's list, and how to tell that it changed. */
export interface PageSource {
  list(): readonly PipelineStatus[];
  readonly observedAt: Date | undefined;
  /**
   * Any value that differs (by identity) whenever the list may have changed since it was
   * last returned: reading the whole list of a fleet to compare costs more than answering.
   */
  version(): unknown;
}

/** Answers to `GET /pipelines?...`, each computed once per version of the list. */
export interface PipelinePages {
  answer(q: PipelineQuery): PageAnswer;
  /**
   * The whole list in the configuration's order, as `{ pipelines, observedAt }` (no paging
   * fields): built from the same per-pipeline texts as the pages, so a change of one pipeline
   * in a fleet costs one serialization, not 10,000.
   */
  whole(): PageAnswer;
}

export interface PipelinePagesOptions {
  /** What one pipeline is served as (the list's entry). */
  readonly entry: (p: PipelineStatus) => unknown;
  /** Answers kept per version of the list, by their JSON's length in characters (default 32 Mi). */
  readonly keptChars?: number;
}

/** The list in one order: positions into it, and each position's sort key. */
interface Order {
  readonly at: Uint32Array;
  readonly keys: Float64Array;
}

interface Snapshot {
  readonly version: unknown;
  /** Counts the snapshots of this list: with `instance`, the whole list's validator. */
  readonly seq: number;
  readonly list: readonly PipelineStatus[];
  readonly observedAt: string | null;
  readonly orders: Map<ApiPipelineSort, Order>;
  readonly answers: Map<string, PageAnswer>;
  keptChars: number;
  whole?: PageAnswer;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function orderOf(list: readonly PipelineStatus[], sort: ApiPipelineSort): Order {
  const keys = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) keys[i] = sortKey(list[i] as PipelineStatus, sort);
  const desc = sort === '-name';
  const at = Uint32Array.from(list.keys()).sort((a, b) => {
    const d = (keys[a] as number) - (keys[b] as number);
    if (d !== 0) return d;
    const x = (list[a] as PipelineStatus).pipeline;
    const y = (list[b] as PipelineStatus).pipeline;
    return desc ? byName(y, x) : byName(x, y);
  });
  return { at, keys: Float64Array.from(at, (i) => keys[i] as number) };
}

function answerOf(json: string, etag?: string): PageAnswer {
  let gz: Buffer | undefined;
  return {
    json,
    etag: etag ?? `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`,
    gzip: () => {
      gz ??= gzipSync(json);
      return gz;
    },
  };
}

/**
 * Filtered and paged answers over a list of thousands of pipelines, cheap enough to serve
 * hundreds a second: per version of the list, each sort order is computed once (a page is
 * a walk along it, never a sort), each pipeline is serialized once (and again only when it
 * changes), and each distinct query's answer is kept (up to `keptChars`), so a query asked
 * again costs one map lookup until the state changes.
 */
export function createPipelinePages(source: PageSource, o: PipelinePagesOptions): PipelinePages {
  const keptChars = o.keptChars ?? 32 * 1024 * 1024;
  /** A pipeline's entry as JSON; a pipeline the state cache did not replace keeps its text. */
  const entries = new WeakMap<PipelineStatus, string>();
  const entryJson = (p: PipelineStatus): string => {
    let text = entries.get(p);
    if (text === undefined) {
      text = JSON.stringify(o.entry(p));
      entries.set(p, text);
    }
    return text;
  };
  let snapshot: Snapshot | undefined;
  let seq = 0;
  /**
   * The whole list's ETag is this and the snapshot's number: hashing 16 MB of a fleet's list
   * took longer than joining it. Strong all the same: a snapshot's text never changes, and
   * another server process (a restart, a replica) has another instance.
   */
  const instance = randomBytes(9).toString('base64url');

  const current = (): Snapshot => {
    const version = source.version();
    if (snapshot === undefined || snapshot.version !== version) {
      snapshot = {
        version,
        seq: ++seq,
        list: source.list(),
        observedAt: source.observedAt?.toISOString() ?? null,
        orders: new Map(),
        answers: new Map(),
        keptChars: 0,
      };
    }
    return snapshot;
  };

  const compute = (s: Snapshot, q: PipelineQuery): string => {
    let order = s.orders.get(q.sort);
    if (!order) {
      order = orderOf(s.list, q.sort);
      s.orders.set(q.sort, order);
    }
    let start = 0;
    const after = q.after;
    if (after) {
      // the first position past the cursor's (key, name), by binary search along the order
      const desc = q.sort === '-name';
      const beyond = (j: number): boolean => {
        const k = order.keys[j] as number;
        const name = (s.list[order.at[j] as number] as PipelineStatus).pipeline;
        return k > after.key || (k === after.key && (desc ? name < after.name : name > after.name));
      };
      let lo = 0;
      let hi = order.at.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (beyond(mid)) hi = mid;
        else lo = mid + 1;
      }
      start = lo;
    }
    const limit = q.limit ?? Number.POSITIVE_INFINITY;
    const page: string[] = [];
    let total = 0;
    let last = -1;
    let more = false;
    for (let j = 0; j < order.at.length; j++) {
      const p = s.list[order.at[j] as number] as PipelineStatus;
      if (!matches(p, q)) continue;
      total++;
      if (j < start) continue;
      if (page.length < limit) {
        page.push(entryJson(p));
        last = j;
      } else more = true;
    }
    const lastPipeline = last >= 0 ? (s.list[order.at[last] as number] as PipelineStatus) : undefined;
    const nextCursor =
      more && lastPipeline
        ? encodeCursor({ sort: q.sort, key: order.keys[last] as number, name: lastPipeline.pipeline })
        : null;
    // the same fields, in the same order, as JSON.stringify of the page object gave
    return `{"pipelines":[${page.join(',')}],"observedAt":${JSON.stringify(s.observedAt)},"total":${total},"nextCursor":${JSON.stringify(nextCursor)}}`;
  };

  return {
    whole() {
      const s = current();
      s.whole ??= answerOf(
        `{"pipelines":[${s.list.map(entryJson).join(',')}],"observedAt":${JSON.stringify(s.observedAt)}}`,
        `"${instance}.${s.seq}"`,
      );
      return s.whole;
    },
    answer(q) {
      const s = current();
      const key = queryKey(q);
      const kept = s.answers.get(key);
      if (kept) return kept;
      const answer = answerOf(compute(s, q));
      if (answer.json.length <= keptChars) {
        // the oldest answers go first when the kept ones would grow past the bound
        for (const [k, a] of s.answers) {
          if (s.keptChars + answer.json.length <= keptChars) break;
          s.answers.delete(k);
          s.keptChars -= a.json.length;
        }
        s.answers.set(key, answer);
        s.keptChars += answer.json.length;
      }
      return answer;
    },
  };
}
