/**
 * The real Hono app on a free 127.0.0.1 port over the parts a bench gives it; every dependency
 * the bench does not give throws when reached, so a figure never silently measures a stand-in.
 */
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@gantry/core';
import type { ServerDeps } from '@gantry/server';
import { createApp, createEventBus, createMetrics } from '@gantry/server';
import { serve } from '@hono/node-server';

/** A dependency the bench did not expect the app to reach: any use of it throws, naming it. */
export function unexpected<T>(bench: string): T {
  return new Proxy(
    {},
    {
      get(_, key) {
        throw new Error(`${bench}: an unexpected dependency (${String(key)})`);
      },
    },
  ) as T;
}

/** Serves the app over `deps` (open mode, ready, a fresh bus and metrics unless given). */
export async function serveApp(
  bench: string,
  deps: Pick<ServerDeps, 'engine' | 'store' | 'state'> & Partial<ServerDeps>,
): Promise<{ url: string; close(): Promise<void> }> {
  const app = createApp({
    promotions: unexpected(bench),
    webhooks: unexpected(bench),
    bus: createEventBus(),
    metrics: createMetrics({ defaultMetrics: false }),
    logger: silentLogger,
    permissions: [],
    open: true,
    ready: () => true,
    ...deps,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
