import type { SourceContext } from '@gantry/core';
import { createServices, silentLogger } from '@gantry/core';
import type { HelmRepositories, HelmRepositoryConfig } from '@gantry/helm';
import { createHelmRepositories, helmRepositoriesKey } from '@gantry/helm';

/** A clock the test moves by hand: freshness of the index never depends on the wall clock. */
export interface ManualClock {
  now(): number;
  advance(ms: number): void;
}

export function manualClock(start = 1_700_000_000_000): ManualClock {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

/** A source context whose services hold these Helm repositories. */
export function contextWith(
  repositories: Record<string, HelmRepositoryConfig>,
  now?: () => number,
): { ctx: SourceContext; repositories: HelmRepositories } {
  const set = createHelmRepositories({ repositories, logger: silentLogger, ...(now ? { now } : {}) });
  const services = createServices();
  services.set(helmRepositoriesKey, set);
  return { ctx: { services, logger: silentLogger }, repositories: set };
}

/** Resolves with the error a promise rejects with; fails the test when it resolves. */
export async function rejection(
  p: Promise<unknown>,
): Promise<Error & { code?: string; context?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

export const day = (n: number) => new Date(Date.UTC(2024, 0, n));
