import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv, ServerDeps } from '../context.js';
import type { GantryEvent } from '../events.js';

/**
 * Server-Sent Events: `promotion`, `phase`, `hold` and `artifact` events as they happen, with a
 * comment every 15 s so proxies keep the connection open.
 */
export function eventRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      const queue: GantryEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = deps.bus.subscribe((e) => {
        queue.push(e);
        wake?.();
      });
      stream.onAbort(unsubscribe);
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ observedAt: deps.state.observedAt ?? null }) });
      let id = 0;
      while (!stream.aborted) {
        const next = queue.shift();
        if (next) {
          await stream.writeSSE({ event: next.type, data: JSON.stringify(next), id: String(++id) });
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 15_000).unref();
        });
        wake = undefined;
        if (queue.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
      }
      unsubscribe();
    }),
  );
  return app;
}
