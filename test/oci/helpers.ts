import type { SourceContext } from '@gantry/core';
import { createServices, silentLogger } from '@gantry/core';
import type { RegistryConfig, Registries } from '@gantry/oci';
import { createRegistries, ociRegistriesKey } from '@gantry/oci';

/** A source context whose services hold these registries. */
export function contextWith(registries: Record<string, RegistryConfig>): {
  ctx: SourceContext;
  registries: Registries;
} {
  const set = createRegistries({ registries, logger: silentLogger });
  const services = createServices();
  services.set(ociRegistriesKey, set);
  return { ctx: { services, logger: silentLogger }, registries: set };
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
