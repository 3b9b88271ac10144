import type { Logger, ServiceKey } from '@gantry/core';
import { NotFoundError, serviceKey, silentLogger } from '@gantry/core';
import type { RegistryClient } from './client.js';
import { createRegistryClient } from './client.js';
import type { RegistryConfig } from './config.js';
import { isLayoutConfig } from './config.js';
import type { LayoutRegistry } from './layout.js';
import { createLayoutRegistry } from './layout.js';

/** A configured registry: remote (with the push side) or a layout directory. */
export type Registry = RegistryClient | LayoutRegistry;

/** The registries of a system, by name; sources find them through `ociRegistriesKey`. */
export interface Registries {
  /** Throws `NotFoundError` (`unknown_registry`) listing the known names. */
  get(name: string): Registry;
  names(): string[];
  /** Requests sent so far (HTTP requests, token requests, and file reads of layouts). */
  stats(): { requests: number };
  /** A push webhook said `repository` changed (in `registry`, or in any when it is not named). */
  changed(repository: string, registry?: string): void;
}

export const ociRegistriesKey: ServiceKey<Registries> = serviceKey<Registries>('oci.registries');

export interface RegistriesOptions {
  readonly registries: Readonly<Record<string, RegistryConfig>>;
  readonly logger?: Logger;
  readonly env?: NodeJS.ProcessEnv;
}

export function createRegistries(o: RegistriesOptions): Registries {
  const counter = { requests: 0 };
  const logger = o.logger ?? silentLogger;
  const made = new Map<string, Registry>(
    Object.entries(o.registries).map(([name, config]) => [
      name,
      isLayoutConfig(config)
        ? createLayoutRegistry(config, { name, counter })
        : createRegistryClient(config, { name, counter, logger, ...(o.env ? { env: o.env } : {}) }),
    ]),
  );
  return {
    get(name) {
      const r = made.get(name);
      if (!r) throw new NotFoundError('registry', name, [...made.keys()]);
      return r;
    },
    names: () => [...made.keys()],
    stats: () => ({ requests: counter.requests }),
    changed(repository, registry) {
      for (const [name, r] of made) if (registry === undefined || registry === name) r.changed(repository);
    },
  };
}
