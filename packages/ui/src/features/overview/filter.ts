import type { ApiPhaseStatus, ApiPipelineStatus } from '@gantry/api';

/** The states a phase can be in, as the filter spells them (`production:behind`). */
export const PHASE_STATES = [
  'in-sync',
  'behind',
  'source',
  'empty',
  'error',
] as const satisfies readonly ApiPhaseStatus['state'][];
export type PhaseState = (typeof PHASE_STATES)[number];

/** `production:behind`: pipelines whose phase `production` is in that state (`!` before the phase: is not). */
export interface PhaseStateTerm {
  readonly phase: string;
  readonly state: PhaseState;
  readonly negate: boolean;
}

/** A parsed overview filter: words match pipeline names, `k=v` / `k!=v` match labels. */
export interface PipelineFilter {
  readonly words: readonly string[];
  readonly labels: readonly { key: string; value: string; negate: boolean }[];
  /** `behind` / `error` as words select pipelines with a phase in that state. */
  readonly states: readonly ('behind' | 'error')[];
  /** `<phase>:<state>`: one phase's state, e.g. "behind in production". */
  readonly phaseStates: readonly PhaseStateTerm[];
}

const STATE_WORDS = new Set(['is:behind', 'is:error']);
const STATE_SET: ReadonlySet<string> = new Set(PHASE_STATES);

/** `production:behind` -> the term; anything else undefined. */
export function parsePhaseStateTerm(token: string): PhaseStateTerm | undefined {
  const m = /^(!?)([^:=!\s]+):([a-z-]+)$/i.exec(token);
  if (!m?.[2] || !m[3] || m[2].toLowerCase() === 'is') return undefined;
  const state = m[3].toLowerCase();
  if (!STATE_SET.has(state)) return undefined;
  return { phase: m[2], state: state as PhaseState, negate: m[1] === '!' };
}

/**
 * Parses the filter box: `api team=payments environment!=dev is:behind production:behind`.
 * Words are case-insensitive substrings of the name; label values and phase names are exact.
 */
export function parseFilter(text: string): PipelineFilter {
  const words: string[] = [];
  const labels: { key: string; value: string; negate: boolean }[] = [];
  const states: ('behind' | 'error')[] = [];
  const phaseStates: PhaseStateTerm[] = [];
  for (const token of tokens(text)) {
    const m = /^([^=!]+)(!?=)(.*)$/.exec(token);
    const term = m ? undefined : parsePhaseStateTerm(token);
    if (m?.[1] && m[2]) labels.push({ key: m[1], value: m[3] ?? '', negate: m[2] === '!=' });
    else if (STATE_WORDS.has(token.toLowerCase())) states.push(token.slice(3).toLowerCase() as 'behind' | 'error');
    else if (term) phaseStates.push(term);
    else words.push(token.toLowerCase());
  }
  return { words, labels, states, phaseStates };
}

const tokens = (text: string): string[] => text.trim().split(/\s+/).filter(Boolean);

/**
 * What the filter reads of a pipeline, looked up rather than searched: its name in lower case,
 * each phase's state by phase name, the states any phase is in, and its labels with its phases'
 * labels as `key=value`. Kept per pipeline object: a live update replaces only the pipeline it
 * changed, so filtering 10,000 pipelines again reads maps instead of walking 30,000 phases.
 */
interface FilterRecord {
  readonly name: string;
  readonly phaseState: ReadonlyMap<string, string>;
  readonly states: ReadonlySet<string>;
  readonly labels: ReadonlySet<string>;
}

const records = new WeakMap<ApiPipelineStatus, FilterRecord>();

function recordOf(p: ApiPipelineStatus): FilterRecord {
  let r = records.get(p);
  if (r) return r;
  const phaseState = new Map<string, string>();
  const states = new Set<string>();
  // a pipeline's labels and its phases' labels together: `environment=production` finds pipelines with such a phase
  const labels = new Set<string>();
  for (const [k, v] of Object.entries(p.labels)) labels.add(`${k}\u0000${v}`);
  for (const ph of p.phases) {
    // the first phase of a name decides, as a row shows it
    if (!phaseState.has(ph.phase)) phaseState.set(ph.phase, ph.state);
    states.add(ph.state);
    for (const [k, v] of Object.entries(ph.labels)) labels.add(`${k}\u0000${v}`);
  }
  r = { name: p.pipeline.toLowerCase(), phaseState, states, labels };
  records.set(p, r);
  return r;
}

/**
 * Builds what the filter reads of each pipeline ahead of the first filter, a slice at a time
 * while the page is idle, so the first one typed costs no more than the next; returns a cancel.
 */
export function prepareFilter(list: readonly ApiPipelineStatus[], slice = 1000): () => void {
  const idle =
    typeof requestIdleCallback === 'function'
      ? (fn: () => void) => requestIdleCallback(fn)
      : (fn: () => void) => setTimeout(fn, 0) as unknown as number;
  const cancelIdle = typeof cancelIdleCallback === 'function' ? cancelIdleCallback : clearTimeout;
  let at = 0;
  let handle = 0;
  const step = () => {
    for (const end = Math.min(list.length, at + slice); at < end; at++) recordOf(list[at] as ApiPipelineStatus);
    if (at < list.length) handle = idle(step);
  };
  handle = idle(step);
  return () => cancelIdle(handle);
}

function phaseIn(r: FilterRecord, t: PhaseStateTerm): boolean {
  const state = r.phaseState.get(t.phase);
  // a pipeline without that phase is neither in nor out of that state: only a negation keeps it
  return state === undefined ? t.negate : (state === t.state) !== t.negate;
}

export function matchesFilter(p: ApiPipelineStatus, f: PipelineFilter): boolean {
  const r = records.get(p);
  // before its record is built (in idle time), a pipeline is read directly: building 10,000
  // records in the first keystroke would cost more than walking their phases once
  if (!r) return matchesDirectly(p, f);
  for (const w of f.words) if (!r.name.includes(w)) return false;
  for (const l of f.labels) if (r.labels.has(`${l.key}\u0000${l.value}`) === l.negate) return false;
  for (const t of f.phaseStates) if (!phaseIn(r, t)) return false;
  for (const s of f.states) if (!r.states.has(s)) return false;
  return true;
}

function matchesDirectly(p: ApiPipelineStatus, f: PipelineFilter): boolean {
  if (f.words.length > 0) {
    const name = p.pipeline.toLowerCase();
    for (const w of f.words) if (!name.includes(w)) return false;
  }
  for (const l of f.labels) {
    const has = p.labels[l.key] === l.value || p.phases.some((ph) => ph.labels[l.key] === l.value);
    if (has === l.negate) return false;
  }
  for (const t of f.phaseStates) {
    const ph = p.phases.find((x) => x.phase === t.phase);
    if (ph === undefined ? !t.negate : (ph.state === t.state) === t.negate) return false;
  }
  for (const s of f.states) if (!p.phases.some((ph) => ph.state === s)) return false;
  return true;
}

export const isEmptyFilter = (f: PipelineFilter): boolean =>
  f.words.length === 0 && f.labels.length === 0 && f.states.length === 0 && f.phaseStates.length === 0;

export function filterPipelines(list: readonly ApiPipelineStatus[], text: string): readonly ApiPipelineStatus[] {
  const f = parseFilter(text);
  if (isEmptyFilter(f)) return list;
  return list.filter((p) => matchesFilter(p, f));
}

/** Phase names in the order pipelines list them, each once: the overview's columns. */
export function phaseColumns(list: readonly ApiPipelineStatus[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of list) {
    for (const ph of p.phases) {
      if (!seen.has(ph.phase)) {
        seen.add(ph.phase);
        out.push(ph.phase);
      }
    }
  }
  return out;
}

/**
 * The filter text with the `key=value` selection of one label replaced (`value` undefined: removed);
 * other words keep their place, so a facet and a typed filter work on the same text.
 */
export function withLabel(text: string, key: string, value: string | undefined): string {
  const kept = tokens(text).filter((t) => {
    const m = /^([^=!]+)=(.*)$/.exec(t);
    return m?.[1] !== key;
  });
  return [...kept, ...(value !== undefined ? [`${key}=${value}`] : [])].join(' ');
}

/** The filter text with the state selection of one phase replaced (`state` undefined: removed). */
export function withPhaseState(text: string, phase: string, state: PhaseState | undefined): string {
  const kept = tokens(text).filter((t) => parsePhaseStateTerm(t)?.phase !== phase);
  return [...kept, ...(state !== undefined ? [`${phase}:${state}`] : [])].join(' ');
}
