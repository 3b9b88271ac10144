import type { Pipeline, Resource } from '@gantry/core';
import { phaseGatesSchema } from './gate-keys.js';
import type { PathSegment } from './yaml-file.js';
import { formatPath } from './yaml-file.js';

/** A gate of a pipeline written as code that does not parse, with what helps find it in the file. */
export interface CodeGateIssue {
  /** `pipelines[0](app).phases[2](production).gates[1].keys[0].publicKey`. */
  readonly path: string;
  readonly message: string;
  /** A string literal near the problem: the offending value, else the key's id or the gate's name or kind. */
  readonly value?: string;
  /** The field that literal is written under, e.g. `timeZone`, `id`, `name`. */
  readonly key?: string;
}

/** The offending value when it is a short literal one can search for; a PEM block or an object is not. */
function literal(gates: readonly unknown[], path: readonly PropertyKey[]): string | undefined {
  let at: unknown = gates;
  for (const p of path) at = (at as Record<PropertyKey, unknown> | undefined)?.[p];
  return typeof at === 'string' && at.length > 0 && at.length < 200 && !at.includes('\n') ? at : undefined;
}

/** A literal of the gate itself: a key's id, else the gate's name, else its kind. */
function anchor(gates: readonly unknown[], path: readonly PropertyKey[]): { value: string; key: string } | undefined {
  const gate = gates[Number(path[0])] as Record<string, unknown> | undefined;
  if (!gate) return undefined;
  if (path[1] === 'keys' && typeof path[2] === 'number') {
    const id = (gate.keys as { id?: unknown }[] | undefined)?.[path[2]]?.id;
    if (typeof id === 'string') return { value: id, key: 'id' };
  }
  if (typeof gate.name === 'string') return { value: gate.name, key: 'name' };
  return typeof gate.kind === 'string' ? { value: gate.kind, key: 'kind' } : undefined;
}

/**
 * Gates of pipelines written in `gantry.config.ts` checked exactly as `gantry.yaml`'s are (the
 * gates' schema, and every signature key parsed as verification will parse it): in code they
 * are plain data the type checker sees only the shape of, so a bad time zone, pattern, rule or
 * key would otherwise show only when a gate is evaluated.
 */
export function codeGateIssues(pipelines: readonly Pipeline<Resource>[]): CodeGateIssue[] {
  const out: CodeGateIssue[] = [];
  pipelines.forEach((p, i) => {
    p.phases.forEach((ph, j) => {
      if (ph.gates === undefined) return;
      const r = phaseGatesSchema.safeParse(ph.gates);
      if (r.success) return;
      const gates = Array.isArray(ph.gates) ? (ph.gates as readonly unknown[]) : [];
      for (const issue of r.error.issues) {
        const field = issue.path.filter((s): s is string | number => typeof s !== 'symbol') as PathSegment[];
        const last = field[field.length - 1];
        const value = literal(gates, issue.path);
        const near =
          value !== undefined ? { value, key: typeof last === 'string' ? last : undefined } : anchor(gates, issue.path);
        out.push({
          path: `pipelines[${i}](${p.name}).phases[${j}](${ph.name}).${formatPath(['gates', ...field])}`,
          message: issue.message,
          ...(near?.value !== undefined ? { value: near.value } : {}),
          ...(near?.key !== undefined ? { key: near.key } : {}),
        });
      }
    });
  });
  return out;
}
