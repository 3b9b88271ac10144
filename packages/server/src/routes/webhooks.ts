import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../context.js';
import type { WebhookKind } from '../webhooks/handler.js';

/** Webhooks authenticate by signature, not by token: registries and Git hosts hold no API token. */
export function webhookRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const kind of ['registry', 'git'] as const satisfies readonly WebhookKind[]) {
    app.post(`/webhooks/${kind}`, async (c) => {
      const raw = await c.req.text();
      const registry = c.req.query('registry');
      const result = await deps.webhooks.handle(kind, raw, (n) => c.req.header(n), registry ? { registry } : {});
      return c.json(result, 202);
    });
  }
  return app;
}
