import { checkResultsSchema, promotionParams, promotionSchema } from '@gantry/api';
import { PromotionNotFoundError } from '@gantry/store';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { requireRole, roleToPromote } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';

import { json, problem } from './responses.js';
import { startReverification } from './start-reverification.js';

const checksRoute = createRoute({
  method: 'get',
  path: '/promotions/{id}/checks',
  tags: ['verification'],
  summary: "The recorded results of a promotion's verification checks, every run",
  request: { params: promotionParams },
  responses: {
    200: json(
      checkResultsSchema,
      'Check results in the order they were recorded: run, status, reason, output, evidence',
    ),
    404: problem('Unknown promotion'),
  },
});

const verifyRoute = createRoute({
  method: 'post',
  path: '/promotions/{id}/verify',
  tags: ['verification'],
  summary: "Re-run a succeeded promotion's verification (a new run; its verdict replaces the last one)",
  request: { params: promotionParams },
  responses: {
    202: json(promotionSchema, 'Started: the promotion with its verification running; follow it on the event stream'),
    403: problem('The token may not promote into the promotion’s phase'),
    404: problem('Unknown promotion'),
    409: problem(
      'not_verifiable: the promotion has not succeeded, its phase has no verification, or its deployer has not reported it healthy',
    ),
  },
});

export function verificationRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(checksRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.store.getPromotion(id))) throw new PromotionNotFoundError(id);
    const records = await deps.store.listCheckResults(id);
    // stored as the checks package returned them: the contract's CheckResult (a type test keeps them one)
    const items = records.map((r) => ({ run: r.run, name: r.name, recordedAt: r.recordedAt, result: r.result }));
    return c.json({ promotionId: id, items } as never, 200);
  });
  app.openapi(verifyRoute, async (c) => {
    const { id } = c.req.valid('param');
    const p = await deps.store.getPromotion(id);
    if (!p) throw new PromotionNotFoundError(id);
    const principal = c.get('principal');
    const where = `${p.pipeline}/${p.phase}`;
    // whoever may put a version into the phase may ask again whether it works there
    requireRole(principal, roleToPromote(deps.permissions, p.pipeline, p.phase), `re-running verification in ${where}`);
    // the lifecycle refuses what cannot be verified now (not succeeded, nothing to prove, not healthy yet)
    const started = await startReverification(deps, p);
    await deps.store.recordAudit({
      actor: principal.name,
      action: 'verify',
      subject: where,
      detail: { promotion: id, run: started.verification?.run },
    });
    return c.json(started as never, 202);
  });
  return app;
}
