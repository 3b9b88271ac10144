import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Pipeline, Resource, SystemDefinition } from '@gantry/core';
import { GantryError, ValidationError } from '@gantry/core';

const DEFAULT_FILES = ['gantry.config.ts', 'gantry.config.mts', 'gantry.config.js', 'gantry.config.mjs'];

/** The pipelines-as-code file: the configured one, or `gantry.config.ts` beside gantry.yaml. */
export function findPipelinesFile(dir: string, configured: string | undefined): string | undefined {
  if (configured !== undefined) {
    const path = resolve(dir, configured);
    if (!existsSync(path)) {
      throw new GantryError('config_not_found', `pipelinesFile ${path} does not exist`, { path });
    }
    return path;
  }
  return DEFAULT_FILES.map((f) => resolve(dir, f)).find((p) => existsSync(p));
}

function isPipeline(value: unknown): value is Pipeline<Resource> {
  const v = value as Partial<Pipeline<Resource>> | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && Array.isArray(v.phases);
}

/**
 * Imports `gantry.config.ts` (its default export, as `defineConfig` returns it). The file
 * runs in this process, so TypeScript is compiled on the fly by the loader the CLI runs
 * under (tsx); it imports `gantry` like any package.
 */
export async function importPipelinesFile(file: string): Promise<Pipeline<Resource>[]> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (e) {
    const cause = e as Error & { code?: string };
    const hint =
      cause.code === 'ERR_MODULE_NOT_FOUND' && /'gantry'/.test(cause.message)
        ? ' (install the gantry package beside it: npm install gantry)'
        : '';
    throw new GantryError('config_load_failed', `${file}: ${cause.message}${hint}`, { file }, { cause: e });
  }
  const def = typeof mod.default === 'function' ? (mod.default as () => unknown)() : mod.default;
  const pipelines = (def as Partial<SystemDefinition> | undefined)?.pipelines;
  if (!Array.isArray(pipelines)) {
    throw new ValidationError(file, [
      { path: 'default', message: 'default export must be defineConfig({ pipelines: [...] })', file },
    ]);
  }
  const bad = pipelines.findIndex((p) => !isPipeline(p));
  if (bad >= 0) {
    throw new ValidationError(file, [
      { path: `pipelines[${bad}]`, message: 'not a pipeline (use pipeline({...}) or definePipeline)', file },
    ]);
  }
  return pipelines as Pipeline<Resource>[];
}
