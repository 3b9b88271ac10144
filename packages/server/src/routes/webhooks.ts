import type { Duration } from '@gantry/core';
import type { MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../context.js';
import type { WebhookCallOptions, WebhookKind } from '../webhooks/handler.js';

const KINDS = ['registry', 'git'] as const satisfies readonly WebhookKind[];

const kindOf = (path: string): WebhookKind | undefined => KINDS.find((k) => path.endsWith(`/webhooks/${k}`));

/**
 * Refuses an unsigned webhook (or one no configured secret could sign) from its headers alone,
 * before the body limit reads a byte of the body. Mounted ahead of the body limit.
 */
export function webhookPrecheck(deps: Pick<ServerDeps, 'webhooks'>): MiddlewareHandler {
  return async (c, next) => {
    const kind = kindOf(c.req.path);
    if (kind && c.req.method === 'POST') {
      const registry = c.req.query('registry');
      deps.webhooks.precheck(kind, (n) => c.req.header(n), registry ? { registry } : {});
    }
    return next();
  };
}

/**
 * Webhooks authenticate by signature, not by token: registries and Git hosts hold no API
 * token. The body is read as bytes (within the webhook body limit) and verified as received;
 * a delivery seen within `replayWindow` is answered 200 `{duplicate: true}` and ignored.
 */
export function webhookRoutes(deps: ServerDeps, o: { replayWindow: Duration }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const kind of KINDS) {
    app.post(`/webhooks/${kind}`, async (c) => {
      const raw = new Uint8Array(await c.req.arrayBuffer());
      const registry = c.req.query('registry');
      const options: WebhookCallOptions = {
        ...(registry ? { registry } : {}),
        deliveries: (ids) => deps.store.rememberDeliveries(ids, o.replayWindow),
      };
      const result = await deps.webhooks.handle(kind, raw, (n) => c.req.header(n), options);
      return c.json(result, result.duplicate ? 200 : 202);
    });
  }
  return app;
}
