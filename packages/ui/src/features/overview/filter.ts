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

/** A pipeline's labels and its phases' labels together: `environment=production` finds pipelines with such a phase. */
function hasLabel(p: ApiPipelineStatus, key: string, value: string): boolean {
  if (p.labels[key] === value) return true;
  return p.phases.some((ph) => ph.labels[key] === value);
}

function phaseIn(p: ApiPipelineStatus, t: PhaseStateTerm): boolean {
  for (const ph of p.phases) if (ph.phase === t.phase) return (ph.state === t.state) !== t.negate;
  // a pipeline without that phase is neither in nor out of that state: only a negation keeps it
  return t.negate;
}

export function matchesFilter(p: ApiPipelineStatus, f: PipelineFilter): boolean {
  if (f.words.length > 0) {
    const name = p.pipeline.toLowerCase();
    if (!f.words.every((w) => name.includes(w))) return false;
  }
  if (!f.labels.every((l) => hasLabel(p, l.key, l.value) !== l.negate)) return false;
  if (!f.phaseStates.every((t) => phaseIn(p, t))) return false;
  return f.states.every((s) => p.phases.some((ph) => ph.state === s));
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
