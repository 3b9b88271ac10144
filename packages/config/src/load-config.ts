import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ValidationIssue } from '@gantry/core';
import { GantryError } from '@gantry/core';
import type { z } from 'zod';
import type { GantryConfig } from './schema.js';
import { configSchema, logLevelSchema } from './schema.js';
import type { LazyYamlFile, PathSegment } from './yaml-file.js';
import { issueAt, readYamlFile, throwIfIssues } from './yaml-file.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** A validated configuration and where it came from. */
export interface LoadedConfig {
  /** Absolute path of `gantry.yaml`, or undefined when running on defaults. */
  readonly file: string | undefined;
  /** Relative paths in the configuration resolve against this directory. */
  readonly dir: string;
  readonly config: GantryConfig;
  /**
   * Where each value is written, for later checks (pipelines) to name lines too: the document is
   * built on first call, so a valid file is never parsed for positions; `loadSystem` lets it go
   * once they are done.
   */
  readonly yaml: LazyYamlFile | undefined;
}

export interface LoadConfigOptions {
  readonly cwd: string;
  readonly env?: Env;
  /** Explicit file (`--config`); otherwise `GANTRY_CONFIG`, then `gantry.yaml`/`gantry.yml` in cwd. */
  readonly file?: string;
}

const CANDIDATES = ['gantry.yaml', 'gantry.yml'];

export function findConfigFile(cwd: string, env: Env, file?: string): string | undefined {
  const explicit = file ?? env.GANTRY_CONFIG;
  if (explicit !== undefined) {
    const path = isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
    if (!existsSync(path)) throw new GantryError('config_not_found', `configuration file ${path} does not exist`);
    return path;
  }
  return CANDIDATES.map((c) => resolve(cwd, c)).find((p) => existsSync(p));
}

/**
 * Replaces `${NAME}` with the environment variable, collecting every missing one. Copies only
 * what changes (the parsed data is this load's own): at 10,000 pipelines, where almost nothing
 * names a variable, a copy of every mapping and a path per value cost more than the replacing.
 * `path` is one stack for the whole walk, copied for a missing variable. The same mapping
 * reached twice (a YAML alias) is interpolated, and reported, at each place.
 */
function interpolate(value: unknown, path: PathSegment[], env: Env, missing: Array<[PathSegment[], string]>): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const v = env[name];
      if (v === undefined) missing.push([[...path], name]);
      return v ?? '';
    });
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const item = interpolate(value[i], path, env, missing);
      path.pop();
      if (out) out.push(item);
      else if (item !== value[i]) out = [...value.slice(0, i), item];
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      path.push(key);
      const item = interpolate(record[key], path, env, missing);
      path.pop();
      if (!out && item !== record[key]) {
        out = {};
        for (const k of keys.slice(0, i)) setOwn(out, k, record[k]);
      }
      if (out) setOwn(out, key, item);
    }
    return out ?? value;
  }
  return value;
}

/** A `__proto__` key is data, as YAML wrote it, not the object's prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  else target[key] = value;
}

/** `GANTRY_*` variables override the file. */
function applyEnvOverrides(raw: Record<string, unknown>, env: Env): Record<string, unknown> {
  const out = { ...raw };
  if (env.GANTRY_DATA_DIR) out.dataDir = env.GANTRY_DATA_DIR;
  if (env.GANTRY_LOG_LEVEL) out.logLevel = env.GANTRY_LOG_LEVEL;
  if (env.GANTRY_DATABASE_URL) {
    out.server = {
      ...((out.server as Record<string, unknown> | undefined) ?? {}),
      databaseUrl: env.GANTRY_DATABASE_URL,
    };
  }
  return out;
}

/** Reads, interpolates, overrides and validates `gantry.yaml`; every problem names file:line [field]. */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const file = findConfigFile(options.cwd, env, options.file);
  const dir = file ? dirname(file) : options.cwd;
  let yaml: LazyYamlFile | undefined;
  let raw: unknown = {};
  if (file) {
    const read = await readYamlFile(file, await readFile(file, 'utf8'));
    yaml = read.yaml;
    raw = read.data ?? {};
  }
  const issues: ValidationIssue[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throwIfIssues(file ?? 'configuration', [issueAt(yaml, [], 'expected a mapping of settings')]);
  }
  const missing: Array<[PathSegment[], string]> = [];
  const interpolated = interpolate(raw, [], env, missing) as Record<string, unknown>;
  for (const [path, name] of missing) issues.push(issueAt(yaml, path, `environment variable ${name} is not set`));
  const overridden = applyEnvOverrides(interpolated, env);
  if (env.GANTRY_LOG_LEVEL && !logLevelSchema.safeParse(env.GANTRY_LOG_LEVEL).success) {
    issues.push({ path: 'GANTRY_LOG_LEVEL', message: `"${env.GANTRY_LOG_LEVEL}" is not a log level` });
  }
  // parsed once per load: compiling zod's fast path for each object schema (eval) would cost
  // more than it saves (a tenth of a CLI command's start); the result is the same
  const parsed = configSchema.safeParse(overridden, { jitless: true });
  if (!parsed.success) {
    for (const issue of flattenUnions(parsed.error.issues, [])) {
      const path = issue.path;
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) issues.push(issueAt(yaml, [...path, key], `unknown field "${key}"`));
      } else {
        issues.push(issueAt(yaml, path, issue.message));
      }
    }
  }
  throwIfIssues(file ?? 'configuration', issues);
  return { file, dir, config: parsed.data as GantryConfig, yaml };
}

type FlatIssue = { code: string; message: string; path: PathSegment[]; keys: readonly string[] };

/**
 * zod reports a value that fits no branch of a union as one "invalid input". Report the
 * branch that came closest instead (fewest issues), so the user sees the real field.
 */
function flattenUnions(issues: readonly z.core.$ZodIssue[], prefix: PathSegment[]): FlatIssue[] {
  return issues.flatMap((issue): FlatIssue[] => {
    const path = [...prefix, ...issue.path.filter((p): p is PathSegment => typeof p !== 'symbol')];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      if (closest.length > 0) return flattenUnions(closest, path);
    }
    return [
      { code: issue.code, message: issue.message, path, keys: issue.code === 'unrecognized_keys' ? issue.keys : [] },
    ];
  });
}
