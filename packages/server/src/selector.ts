import type { Pipeline, Resource } from '@gantry/core';

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/**
 * Which phases a schedule or command selects: a label selector (`environment=staging,
 * team=web`, matched on the pipeline's and the phase's labels together), or names as
 * `pipeline/phase` with `*` wildcards (`*`, `app/*`, `*\/production`).
 */
export function selectPhases(
  pipelines: readonly Pipeline<Resource>[],
  selector: string,
): Array<{ pipeline: string; phase: string }> {
  const s = selector.trim();
  const out: Array<{ pipeline: string; phase: string }> = [];
  if (s.includes('=')) {
    const wanted = s.split(',').map((kv) => kv.split('=').map((x) => x.trim()) as [string, string]);
    for (const p of pipelines) {
      for (const ph of p.phases) {
        const labels = { ...p.labels, ...ph.labels };
        if (wanted.every(([k, v]) => labels[k] === v)) out.push({ pipeline: p.name, phase: ph.name });
      }
    }
    return out;
  }
  const [pp, php = '*'] = s.split('/');
  const pre = glob(pp ?? '*');
  const phre = glob(php);
  for (const p of pipelines) {
    if (!pre.test(p.name)) continue;
    for (const ph of p.phases) if (phre.test(ph.name)) out.push({ pipeline: p.name, phase: ph.name });
  }
  return out;
}
