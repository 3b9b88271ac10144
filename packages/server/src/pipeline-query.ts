import type { ApiPipelineSort } from '@gantry/api';
import type { PipelineStatus } from '@gantry/core';
import { ApiError } from './problem.js';

/** The phase states a filter may name. */
const STATES = new Set(['source', 'in-sync', 'behind', 'empty', 'error']);

/** Worst first, as the dashboard sorts: an error, then behind, then empty; in sync and sources last. */
const SEVERITY: Readonly<Record<string, number>> = { error: 0, behind: 1, empty: 2, 'in-sync': 3, source: 4 };

interface LabelTerm {
  readonly key: string;
  /** Undefined: the label is present, whatever its value. */
  readonly value: string | undefined;
  readonly negate: boolean;
}

interface StateTerm {
  /** Undefined: any phase. */
  readonly phase: string | undefined;
  readonly state: string;
  readonly negate: boolean;
}

/** A parsed `GET /api/v1/pipelines` query: what to keep, in which order, which page. */
export interface PipelineQuery {
  readonly q: string | undefined;
  readonly labels: readonly LabelTerm[];
  readonly states: readonly StateTerm[];
  readonly sort: ApiPipelineSort;
  readonly limit: number | undefined;
  readonly after: CursorKey | undefined;
}

/** Where a page ends: the last pipeline's sort key and name (keyset paging). */
export interface CursorKey {
  readonly sort: ApiPipelineSort;
  readonly key: number;
  readonly name: string;
}

export interface PipelineQueryInput {
  readonly q?: string | undefined;
  readonly label?: string | readonly string[] | undefined;
  readonly state?: string | readonly string[] | undefined;
  readonly sort?: ApiPipelineSort | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

const many = (v: string | readonly string[] | undefined): readonly string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : v;

const invalid = (param: string, message: string): ApiError =>
  new ApiError('invalid_request', `[${param}] ${message}`, { issues: [{ path: param, message }] });

function parseLabel(term: string): LabelTerm {
  const m = /^([^=!]+)(?:(!?=)(.*))?$/.exec(term);
  if (!m?.[1]) throw invalid('label', `"${term}" is not key=value, key!=value or key`);
  return { key: m[1], value: m[2] ? (m[3] ?? '') : undefined, negate: m[2] === '!=' };
}

function parseState(term: string): StateTerm {
  const m = /^(!?)(?:([^:]+):)?([a-z-]+)$/.exec(term);
  if (!m?.[3] || !STATES.has(m[3]))
    throw invalid('state', `"${term}" is not <phase>:<state> with a state of ${[...STATES].join(', ')}`);
  return { phase: m[2], state: m[3], negate: m[1] === '!' };
}

/** The cursor is base64url JSON of the last key: opaque to clients, checked when it comes back. */
export function encodeCursor(c: CursorKey): string {
  return Buffer.from(JSON.stringify([c.sort, c.key, c.name])).toString('base64url');
}

function decodeCursor(cursor: string, sort: ApiPipelineSort): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('cursor', 'not a cursor this server gave');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[1] !== 'number' ||
    typeof parsed[2] !== 'string' ||
    typeof parsed[0] !== 'string'
  )
    throw invalid('cursor', 'not a cursor this server gave');
  if (parsed[0] !== sort) throw invalid('cursor', `the cursor pages a list sorted by ${parsed[0]}, not ${sort}`);
  return { sort, key: parsed[1], name: parsed[2] };
}

/** Parses and checks the query; a bad parameter is a 400 naming it. */
export function parsePipelineQuery(input: PipelineQueryInput): PipelineQuery {
  const sort = input.sort ?? 'name';
  return {
    q: input.q ? input.q.toLowerCase() : undefined,
    labels: many(input.label).map(parseLabel),
    states: many(input.state).map(parseState),
    sort,
    limit: input.limit,
    after: input.cursor ? decodeCursor(input.cursor, sort) : undefined,
  };
}

/** Whether the query asks for anything but the whole list as observed. */
export const isListQuery = (input: PipelineQueryInput): boolean =>
  [input.q, input.label, input.state, input.sort, input.limit, input.cursor].some((v) => v !== undefined);

/** Whether the pipeline is kept by the query's filters (text, labels, phase states). */
export function matches(p: PipelineStatus, q: PipelineQuery): boolean {
  if (q.q !== undefined) {
    const text = q.q;
    const hit =
      p.pipeline.toLowerCase().includes(text) ||
      Object.entries(p.labels).some(([k, v]) => `${k}=${v}`.toLowerCase().includes(text));
    if (!hit) return false;
  }
  for (const l of q.labels) {
    const has = l.value === undefined ? l.key in p.labels : p.labels[l.key] === l.value;
    if (has === l.negate) return false;
  }
  for (const s of q.states) {
    const has = p.phases.some((ph) => ph.state === s.state && (s.phase === undefined || ph.phase === s.phase));
    if (has === s.negate) return false;
  }
  return true;
}

/** The number the list is ordered by (ascending), the name breaking ties. */
export function sortKey(p: PipelineStatus, sort: ApiPipelineSort): number {
  if (sort === 'state') {
    let worst = 5;
    for (const ph of p.phases) worst = Math.min(worst, SEVERITY[ph.state] ?? 5);
    return worst;
  }
  if (sort === 'change') {
    // newest version first: the latest commit time of any phase's current version
    let last = Number.NEGATIVE_INFINITY;
    for (const ph of p.phases) {
      const t = ph.setBy?.time ? new Date(ph.setBy.time).getTime() : Number.NaN;
      if (!Number.isNaN(t)) last = Math.max(last, t);
    }
    // JSON has no infinity: a pipeline with no time sorts after every dated one
    return last === Number.NEGATIVE_INFINITY ? Number.MAX_SAFE_INTEGER : -last;
  }
  return 0;
}

/**
 * One string per distinct query: answers to equal queries over the same list are equal, so a
 * server can keep them. Term order is kept (it does not change the answer, but normalising it
 * would cost more than the rare duplicate).
 */
export function queryKey(q: PipelineQuery): string {
  return JSON.stringify([
    q.sort,
    q.q ?? null,
    q.labels.map((l) => [l.key, l.value ?? null, l.negate]),
    q.states.map((s) => [s.phase ?? null, s.state, s.negate]),
    q.limit ?? null,
    q.after ? [q.after.key, q.after.name] : null,
  ]);
}
