import type { ApiPipelineStatus } from '@gantry/api';

/** A parsed overview filter: words match pipeline names, `k=v` / `k!=v` match labels. */
export interface PipelineFilter {
  readonly words: readonly string[];
  readonly labels: readonly { key: string; value: string; negate: boolean }[];
  /** `behind` / `error` as words select pipelines with a phase in that state. */
  readonly states: readonly ('behind' | 'error')[];
}

const STATE_WORDS = new Set(['is:behind', 'is:error']);

/**
 * Parses the filter box: `api team=payments environment!=dev is:behind`.
 * Words are case-insensitive substrings of the name; label values are exact.
 */
export function parseFilter(text: string): PipelineFilter {
  const words: string[] = [];
  const labels: { key: string; value: string; negate: boolean }[] = [];
  const states: ('behind' | 'error')[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([^=!]+)(!?=)(.*)$/.exec(token);
    if (m?.[1] && m[2]) labels.push({ key: m[1], value: m[3] ?? '', negate: m[2] === '!=' });
    else if (STATE_WORDS.has(token.toLowerCase())) states.push(token.slice(3).toLowerCase() as 'behind' | 'error');
    else words.push(token.toLowerCase());
  }
  return { words, labels, states };
}

/** A pipeline's labels and its phases' labels together: `environment=production` finds pipelines with such a phase. */
function hasLabel(p: ApiPipelineStatus, key: string, value: string): boolean {
  if (p.labels[key] === value) return true;
  return p.phases.some((ph) => ph.labels[key] === value);
}

export function matchesFilter(p: ApiPipelineStatus, f: PipelineFilter): boolean {
  const name = p.pipeline.toLowerCase();
  if (!f.words.every((w) => name.includes(w))) return false;
  if (!f.labels.every((l) => hasLabel(p, l.key, l.value) !== l.negate)) return false;
  return f.states.every((s) => p.phases.some((ph) => ph.state === s));
}

export function filterPipelines(list: readonly ApiPipelineStatus[], text: string): readonly ApiPipelineStatus[] {
  const f = parseFilter(text);
  if (f.words.length === 0 && f.labels.length === 0 && f.states.length === 0) return list;
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
