import type { Logger, ServiceKey } from '@gantry/core';
import { NotFoundError, serviceKey, silentLogger } from '@gantry/core';
import type { HelmRepositoryClient } from './client.js';
import { createHelmRepositoryClient } from './client.js';
import type { HelmRepositoryConfig } from './config.js';

/** The Helm chart repositories of a system, by configured name; sources find them through `helmRepositoriesKey`. */
export interface HelmRepositories {
  /** Throws `NotFoundError` (`unknown_registry`) listing the known Helm repositories. */
  get(name: string): HelmRepositoryClient;
  names(): string[];
  /** Requests sent so far. */
  stats(): { requests: number };
  /** A webhook said `name` changed (or any, when it names none): its next read asks the server. */
  changed(name?: string): void;
}

export const helmRepositoriesKey: ServiceKey<HelmRepositories> = serviceKey<HelmRepositories>('helm.repositories');

export interface HelmRepositoriesOptions {
  readonly repositories: Readonly<Record<string, HelmRepositoryConfig>>;
  readonly logger?: Logger;
  /** Milliseconds now, for the index's freshness (tests inject one). */
  readonly now?: () => number;
}

export function createHelmRepositories(o: HelmRepositoriesOptions): HelmRepositories {
  const counter = { requests: 0 };
  const made = new Map(
    Object.entries(o.repositories).map(([name, config]) => [
      name,
      createHelmRepositoryClient(config, {
        name,
        counter,
        logger: o.logger ?? silentLogger,
        ...(o.now ? { now: o.now } : {}),
      }),
    ]),
  );
  return {
    get(name) {
      const r = made.get(name);
      if (!r) throw new NotFoundError('registry', name, [...made.keys()], { kind: 'helm' });
      return r;
    },
    names: () => [...made.keys()],
    stats: () => ({ requests: counter.requests }),
    changed(name) {
      for (const [n, r] of made) if (name === undefined || name === n) r.changed();
    },
  };
}
