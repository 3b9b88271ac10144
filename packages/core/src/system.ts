import type { ValidationIssue } from './errors.js';
import { NotFoundError, ValidationError } from './errors.js';
import type { Phase, Pipeline } from './pipeline.js';
import type { Resource } from './resource.js';

/** Everything one Gantry process coordinates. */
export interface System {
  readonly pipelines: readonly Pipeline<Resource>[];
}

/** What `gantry.config.ts` default-exports. Accepts pipelines of any resource type. */
export interface SystemDefinition {
  // biome-ignore lint/suspicious/noExplicitAny: pipelines of different resource types sit side by side
  readonly pipelines: readonly Pipeline<any>[];
}

/** Identity helper that gives `gantry.config.ts` its types. */
export function defineConfig<T extends SystemDefinition>(definition: T | (() => T)): T {
  return typeof definition === 'function' ? definition() : definition;
}

const NAME_RE = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;

/** Checks the whole tree and returns every problem, each as `[path] message`. */
export function validateSystem(system: SystemDefinition): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const pipelineNames = new Set<string>();
  system.pipelines.forEach((p, i) => {
    const at = `pipelines[${i}]${p.name ? `(${p.name})` : ''}`;
    if (!NAME_RE.test(p.name))
      issues.push({
        path: `${at}.name`,
        message: `"${p.name}" is not a valid name (lowercase letters, digits, . _ -)`,
      });
    if (pipelineNames.has(p.name)) issues.push({ path: `${at}.name`, message: `duplicate pipeline name "${p.name}"` });
    pipelineNames.add(p.name);
    issues.push(...validatePipeline(p, at));
  });
  return issues;
}

function validatePipeline(p: Pipeline<Resource>, at: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const names = new Map<string, Phase>();
  if (p.phases.length === 0) issues.push({ path: `${at}.phases`, message: 'a pipeline needs at least one phase' });
  p.phases.forEach((ph, j) => {
    const pat = `${at}.phases[${j}](${ph.name})`;
    if (!NAME_RE.test(ph.name)) issues.push({ path: `${pat}.name`, message: `"${ph.name}" is not a valid name` });
    if (names.has(ph.name)) issues.push({ path: `${pat}.name`, message: `duplicate phase name "${ph.name}"` });
    names.set(ph.name, ph);
  });
  p.phases.forEach((ph, j) => {
    const pat = `${at}.phases[${j}](${ph.name})`;
    for (const up of ph.promotesFrom) {
      if (up === ph.name) issues.push({ path: `${pat}.promotesFrom`, message: 'a phase cannot promote from itself' });
      else if (!names.has(up))
        issues.push({
          path: `${pat}.promotesFrom`,
          message: `unknown phase "${up}"; known: ${[...names.keys()].join(', ')}`,
        });
    }
    if (ph.promotesFrom.length > 0 && !ph.source.writable)
      issues.push({
        path: `${pat}.source`,
        message: `${ph.source.describe()} is read-only; a phase promoted into needs a writable source`,
      });
  });
  const cycle = findCycle(p);
  if (cycle) issues.push({ path: `${at}.phases`, message: `cycle: ${cycle.join(' -> ')}` });
  return issues;
}

function findCycle(p: Pipeline<Resource>): string[] | undefined {
  const byName = new Map(p.phases.map((ph) => [ph.name, ph]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const up of byName.get(name)?.promotesFrom ?? []) {
      if (up === name || !byName.has(up)) continue;
      const c = visit(up);
      if (c) return c;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const ph of p.phases) {
    const c = visit(ph.name);
    if (c) return c.reverse();
  }
  return undefined;
}

/** Validates and freezes a definition into a system; throws with every issue. */
export function createSystem(definition: SystemDefinition, subject = 'pipeline configuration'): System {
  const issues = validateSystem(definition);
  if (issues.length > 0) throw new ValidationError(subject, issues);
  return { pipelines: definition.pipelines };
}

/**
 * Each system's pipelines by name: the server looks a pipeline up for every read, and a scan
 * of 10,000 pipelines per lookup made a round quadratic. Kept per pipelines array, and checked
 * on every hit, so an array changed in place (tests build systems by hand) is indexed again.
 */
const byName = new WeakMap<readonly Pipeline<Resource>[], Map<string, number>>();

function indexOf(pipelines: readonly Pipeline<Resource>[], name: string): number | undefined {
  let index = byName.get(pipelines);
  const hit = index?.get(name);
  if (hit !== undefined && pipelines[hit]?.name === name) return hit;
  // a miss or a stale hit (as rare as an unknown name) indexes the array again
  index = new Map();
  // the first of a name wins, as a scan would find it
  for (let i = pipelines.length - 1; i >= 0; i--) index.set((pipelines[i] as Pipeline<Resource>).name, i);
  byName.set(pipelines, index);
  return index.get(name);
}

export function findPipeline(system: System, name: string): Pipeline<Resource> {
  const i = indexOf(system.pipelines, name);
  const p = i === undefined ? undefined : system.pipelines[i];
  if (!p)
    throw new NotFoundError(
      'pipeline',
      name,
      system.pipelines.map((x) => x.name),
    );
  return p;
}

export function findPhase(p: Pipeline<Resource>, name: string): Phase<Resource> {
  const ph = p.phases.find((x) => x.name === name);
  if (!ph)
    throw new NotFoundError(
      'phase',
      name,
      p.phases.map((x) => x.name),
      { pipeline: p.name },
    );
  return ph;
}
