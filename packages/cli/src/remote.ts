import type { GantryClient } from '@gantry/client';
import { createClient } from '@gantry/client';
import type { Io } from './io.js';

/**
 * Remote mode: with `GANTRY_SERVER` (and `GANTRY_TOKEN`) set, commands ask a server
 * instead of reading Git and registries themselves, and print the same output.
 */
export function remoteClient(io: Io): GantryClient | undefined {
  const baseUrl = io.env.GANTRY_SERVER;
  if (!baseUrl) return undefined;
  const token = io.env.GANTRY_TOKEN;
  return createClient({ baseUrl, ...(token ? { token } : {}) });
}
