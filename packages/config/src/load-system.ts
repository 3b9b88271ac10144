import { readFile } from 'node:fs/promises';
import type { Pipeline, Resource, System, ValidationIssue } from '@gantry/core';
import { ValidationError, validateSystem } from '@gantry/core';
import { checkReferences, proposalProblem, gitBranchProblem } from './check-references.js';
import { codeGateIssues } from './code-gates.js';
import type { LoadConfigOptions, LoadedConfig } from './load-config.js';
import { loadConfig } from './load-config.js';
import { ConfigLoadError, findPipelinesFile, importPipelinesFile } from './pipelines-file.js';
import { findLiteral } from './source-location.js';
import type { TypecheckOptions, TypecheckResult } from './typecheck.js';
import { typecheckPipelinesFile } from './typecheck.js';
import type { PathSegment } from './yaml-file.js';
import { formatPath, issueAt, throwIfIssues } from './yaml-file.js';
import { buildYamlPipelines } from './yaml-pipelines.js';

export interface LoadSystemOptions extends LoadConfigOptions {
  /** Type-check `gantry.config.ts` first (`gantry validate`); its errors join the others. */
  readonly typecheck?: boolean | TypecheckOptions;
}

/** The whole definition, validated: gantry.yaml, its pipelines and those of `gantry.config.ts`. */
export interface LoadedSystem {
  readonly loaded: LoadedConfig;
  readonly pipelinesFile: string | undefined;
  readonly system: System;
  /** Set when asked for and there is a pipelines file. */
  readonly typecheck?: TypecheckResult;
}

/** `pipelines[0](app).phases[1](staging).source.path` -> segments, for the YAML twin of a path. */
function segmentsOf(path: string): PathSegment[] {
  return path
    .replace(/\([^)]*\)/g, '')
    .split(/\.|(?=\[)/)
    .filter((s) => s.length > 0)
    .map((s) => (s.startsWith('[') ? Number(s.slice(1, -1)) : s));
}

/**
 * Where an issue about a pipeline written as code is in its file. Names are string
 * literals there: the value the issue quotes, else the innermost name on its path (the
 * phase or pipeline it concerns).
 */
function locateInCode(text: string, file: string, issue: ValidationIssue, value?: string, key?: string) {
  const candidates = [
    ...(value !== undefined ? [value] : []),
    ...[...issue.message.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? ''),
    ...[...issue.path.matchAll(/\(([^)]+)\)/g)].map((m) => m[1] ?? '').reverse(),
  ].filter((c) => c.length > 0);
  for (const c of candidates) {
    // a duplicate is the second one written
    const at = findLiteral(text, c, c === value ? key : undefined, issue.message.startsWith('duplicate'));
    if (at) return { ...issue, file, ...at };
  }
  return { ...issue, file };
}

interface Origin {
  readonly code: readonly Pipeline<Resource>[];
  readonly codeFile: string | undefined;
  readonly codeText: string;
  readonly loaded: LoadedConfig;
}

/** Places an issue about `pipelines[i]` of the combined system in the file that defines that pipeline. */
function place(o: Origin, issue: ValidationIssue, value?: string, key?: string): ValidationIssue {
  const index = Number(/^pipelines\[(\d+)\]/.exec(issue.path)?.[1] ?? -1);
  if (index >= 0 && index < o.code.length && o.codeFile) return locateInCode(o.codeText, o.codeFile, issue, value, key);
  if (index < 0) return issue;
  // a YAML pipeline: the same path, shifted past the pipelines as code, names its node
  const segments = segmentsOf(issue.path);
  segments[1] = index - o.code.length;
  return { ...issueAt(o.loaded.yaml, segments, issue.message), path: formatPath(segments) };
}

/** The default branch of each repository in gantry.yaml must be one git accepts. */
function repositoryIssues(loaded: LoadedConfig): ValidationIssue[] {
  return Object.entries(loaded.config.repositories ?? {}).flatMap(([name, r]) => {
    const why = r.branch === undefined ? undefined : gitBranchProblem(r.branch);
    return why ? [issueAt(loaded.yaml, ['repositories', name, 'branch'], why)] : [];
  });
}

/**
 * Loads gantry.yaml and `gantry.config.ts` into one validated system, touching no remote:
 * schema, names, the graph of every pipeline, and every repository, registry, branch and
 * path the sources name. Every problem is collected, each with its file and line where known,
 * and thrown as one ValidationError.
 */
export async function loadSystem(options: LoadSystemOptions): Promise<LoadedSystem> {
  const loaded = await loadConfig(options);
  const yamlBuilt = buildYamlPipelines(loaded.config, loaded.yaml);
  const issues: ValidationIssue[] = [...repositoryIssues(loaded), ...yamlBuilt.issues];
  const pipelinesFile = findPipelinesFile(loaded.dir, loaded.config.pipelinesFile);

  let typecheck: TypecheckResult | undefined;
  if (options.typecheck && pipelinesFile) {
    typecheck = typecheckPipelinesFile(pipelinesFile, options.typecheck === true ? {} : options.typecheck);
    if (typecheck.kind === 'checked') issues.push(...typecheck.issues);
  }

  let code: Pipeline<Resource>[] = [];
  if (pipelinesFile) {
    try {
      code = await importPipelinesFile(pipelinesFile);
    } catch (e) {
      if (e instanceof ValidationError) issues.push(...e.issues);
      else if (issues.length === 0 || !(e instanceof ConfigLoadError)) throw e;
      // alongside other problems (a type error is often why it throws), as one more issue
      else issues.push(...loadFailureIssues(e, issues));
    }
  }
  const o: Origin = {
    code,
    codeFile: pipelinesFile,
    codeText: pipelinesFile ? await readFile(pipelinesFile, 'utf8').catch(() => '') : '',
    loaded,
  };
  // YAML pipelines that built are already checked among themselves; with problems, some did not build.
  // Without pipelines as code there is nothing more to check (a second pass over 10,000 pipelines)
  const pipelines = [...code, ...yamlBuilt.pipelines];
  const whole = yamlBuilt.issues.length === 0 ? pipelines : code;
  if (code.length > 0) issues.push(...validateSystem({ pipelines: whole }).map((i) => place(o, i)));
  const known = {
    repositories: Object.keys(loaded.config.repositories ?? {}),
    registries: Object.keys(loaded.config.registries ?? {}),
  };
  // YAML sources are checked as they are built (with their own field names); here the code's
  for (const p of checkReferences(code, known)) {
    const pipeline = code[p.pipeline];
    const phase = pipeline?.phases[p.phase];
    const path = `pipelines[${p.pipeline}](${pipeline?.name}).phases[${p.phase}](${phase?.name}).source.${formatPath(p.field)}`;
    issues.push(place(o, { path, message: p.message }, p.value, String(p.field[0])));
  }
  // a phase writing by proposal needs a repository that can open pull requests
  for (const [i, pipeline] of code.entries()) {
    for (const [j, phase] of pipeline.phases.entries()) {
      const why = proposalProblem(phase.write, phase.source.subject, loaded.config.repositories ?? {});
      const path = `pipelines[${i}](${pipeline.name}).phases[${j}](${phase.name}).write`;
      if (why) issues.push(place(o, { path, message: why }, 'proposal', 'write'));
    }
  }
  // gates written as code are parsed as gantry.yaml's are
  for (const g of codeGateIssues(code)) issues.push(place(o, { path: g.path, message: g.message }, g.value, g.key));
  const subject = [pipelinesFile, loaded.file].filter(Boolean).join(' + ') || 'configuration';
  throwIfIssues(subject, dedupe(issues));
  return {
    // the parsed document (every node of every pipeline, ~100 MB at 10,000 pipelines) served
    // only to name lines above; the running system keeps the plain configuration
    loaded: { ...loaded, yaml: undefined },
    pipelinesFile,
    // the very pipelines validated above (here, or by buildYamlPipelines when all are YAML):
    // createSystem would check them a third time
    system: { pipelines },
    ...(typecheck ? { typecheck } : {}),
  };
}

/** A load failure among other issues, as one more; none when a type error already points at the same spot. */
function loadFailureIssues(e: ConfigLoadError, others: readonly ValidationIssue[]): ValidationIssue[] {
  const at = e.at;
  if (at && others.some((i) => i.file === at.file && i.line === at.line && i.column === at.column)) return [];
  return [{ path: '(load)', message: `loading it failed: ${e.reason}`, ...(at ?? { file: e.context.file as string }) }];
}

function dedupe(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = JSON.stringify([i.file, i.line, i.column, i.path, i.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
