import type { Logger, ServiceKey } from '@gantry/core';
import { NotFoundError, serviceKey, silentLogger } from '@gantry/core';
import type { Clock, RequestBudget } from './budget.js';
import { createRequestBudget, DEFAULT_LIMITS, systemClock } from './budget.js';
import type { RegistryClient } from './client.js';
import { createRegistryClient } from './client.js';
import type { RegistryConfig, RemoteRegistryConfig } from './config.js';
import { isLayoutConfig } from './config.js';
import type { RateLimitNotice } from './http.js';
import type { LayoutRegistry } from './layout.js';
import { createLayoutRegistry } from './layout.js';
import type { RetryPolicy } from './retry.js';

/** A configured registry: remote (with the push side) or a layout directory. */
export type Registry = RegistryClient | LayoutRegistry;

/** Requests sent so far, over every registry. */
export interface RegistryStats {
  /** HTTP requests (retries and token requests included) and file reads of layouts. */
  readonly requests: number;
  /** Of them, answered 304 Not Modified (a conditional request that found nothing new). */
  readonly notModified: number;
  /** Of them, answered 429 or 503. */
  readonly rateLimited: number;
}

/** The registries of a system, by name; sources find them through `ociRegistriesKey`. */
export interface Registries {
  /** Throws `NotFoundError` (`unknown_registry`) listing the known names. */
  get(name: string): Registry;
  names(): string[];
  stats(): RegistryStats;
  /** A push webhook said `repository` changed (in `registry`, or in any when it is not named). */
  changed(repository: string, registry?: string): void;
  /** Registries whose host asked to wait (429/503) and when they may be asked again; only pauses still running. */
  rateLimits(): RateLimitNotice[];
  /** Calls `listener` each time a registry's host asks to wait; returns the unsubscribe. */
  onRateLimit(listener: (notice: RateLimitNotice) => void): () => void;
}

export const ociRegistriesKey: ServiceKey<Registries> = serviceKey<Registries>('oci.registries');

export interface RegistriesOptions {
  readonly registries: Readonly<Record<string, RegistryConfig>>;
  readonly logger?: Logger;
  readonly env?: NodeJS.ProcessEnv;
  /** Time for budgets, back-off and cache ages; tests inject a virtual clock. */
  readonly clock?: Clock;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
}

/** The host a budget is kept for: the URL's `host[:port]` (registries named apart on one host share it). */
const hostOf = (config: RemoteRegistryConfig) => new URL(config.url).host;

export function createRegistries(o: RegistriesOptions): Registries {
  const counter = { requests: 0, notModified: 0, rateLimited: 0 };
  const logger = o.logger ?? silentLogger;
  const clock = o.clock ?? systemClock;
  const listeners = new Set<(notice: RateLimitNotice) => void>();
  const budgets = new Map<string, RequestBudget>();
  /** The first registry configured on a host sets its limits; the others share them. */
  const budgetOf = (config: RemoteRegistryConfig): RequestBudget => {
    const host = hostOf(config);
    let budget = budgets.get(host);
    if (!budget) {
      budget = createRequestBudget({ ...DEFAULT_LIMITS, ...config.limits }, clock);
      budgets.set(host, budget);
    }
    return budget;
  };
  const remotes = new Map<string, RequestBudget>();
  /** The status of the last refusal per host, for `rateLimits()`. */
  const lastStatus = new Map<RequestBudget, number>();
  const notify = (notice: RateLimitNotice) => {
    const budget = remotes.get(notice.registry);
    if (budget) lastStatus.set(budget, notice.status);
    for (const l of listeners) l(notice);
  };
  const made = new Map<string, Registry>(
    Object.entries(o.registries).map(([name, config]) => {
      if (isLayoutConfig(config)) return [name, createLayoutRegistry(config, { name, counter })];
      const budget = budgetOf(config);
      remotes.set(name, budget);
      return [
        name,
        createRegistryClient(config, {
          name,
          counter,
          logger,
          budget,
          clock,
          onRateLimited: notify,
          ...(o.env ? { env: o.env } : {}),
          ...(o.retry ? { retry: o.retry } : {}),
          ...(o.random ? { random: o.random } : {}),
        }),
      ];
    }),
  );
  return {
    get(name) {
      const r = made.get(name);
      if (!r) throw new NotFoundError('registry', name, [...made.keys()]);
      return r;
    },
    names: () => [...made.keys()],
    stats: () => ({ requests: counter.requests, notModified: counter.notModified, rateLimited: counter.rateLimited }),
    changed(repository, registry) {
      for (const [name, r] of made) if (registry === undefined || registry === name) r.changed(repository);
    },
    rateLimits() {
      return [...remotes].flatMap(([registry, budget]) => {
        const until = budget.pausedUntil();
        return until === undefined ? [] : [{ registry, until: new Date(until), status: lastStatus.get(budget) ?? 429 }];
      });
    },
    onRateLimit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
