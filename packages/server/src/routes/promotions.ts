import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { findPhase, findPipeline } from '@gantry/core';
import {
  historyQuery,
  historySchema,
  phaseParams,
  pipelineParams,
  promoteBodySchema,
  promoteResultSchema,
  promotionDetailSchema,
} from '@gantry/api';
import { z } from '@hono/zod-openapi';
import { requireRole, roleToPromote } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { json, problem } from './responses.js';
import { ApiError } from '../problem.js';
import { authorOfToken } from '../token-author.js';
import { withPromotionLinks } from '../promotion-links.js';

const authorField = (name: string) => {
  const author = authorOfToken(name);
  return author ? { author } : {};
};

const promoteRoute = createRoute({
  method: 'post',
  path: '/pipelines/{pipeline}/phases/{phase}/promotions',
  tags: ['promotions'],
  summary: 'Promote a phase from its upstream, release an explicit version, or roll back',
  request: {
    params: phaseParams,
    body: { content: { 'application/json': { schema: promoteBodySchema } }, required: false },
  },
  responses: {
    202: json(promoteResultSchema, 'Queued; follow it at /promotions/{id} or on the event stream'),
    200: json(promoteResultSchema, 'Already in sync: nothing to do'),
    400: problem(
      'Invalid body, a read-only phase, or a target that is not a version of this pipeline (invalid_target) or does not exist where it reads versions (target_not_found); `field` names it',
    ),
    403: problem('The token may not promote into this phase'),
    404: problem('Unknown pipeline or phase'),
    409: problem('Blocked: nothing upstream, or upstreams disagree'),
    502: problem('A registry or Git remote failed, or the phase file cannot be read (updater_failed)'),
  },
});

const promotionRoute = createRoute({
  method: 'get',
  path: '/promotions/{id}',
  tags: ['promotions'],
  request: { params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }) },
  responses: { 200: json(promotionDetailSchema, 'A promotion with every state change'), 404: problem('Unknown id') },
});

const pipelineHistoryRoute = createRoute({
  method: 'get',
  path: '/pipelines/{pipeline}/history',
  tags: ['promotions'],
  request: { params: pipelineParams, query: historyQuery },
  responses: { 200: json(historySchema, 'Promotions, newest first'), 404: problem('Unknown pipeline') },
});

const phaseHistoryRoute = createRoute({
  method: 'get',
  path: '/pipelines/{pipeline}/phases/{phase}/history',
  tags: ['promotions'],
  request: { params: phaseParams, query: historyQuery.omit({ phase: true }) },
  responses: { 200: json(historySchema, 'Promotions of the phase, newest first'), 404: problem('Unknown name') },
});

const allHistoryRoute = createRoute({
  method: 'get',
  path: '/promotions',
  tags: ['promotions'],
  summary: "Every pipeline's promotions, newest first (optionally into phases of one name)",
  request: { query: historyQuery },
  responses: { 200: json(historySchema, 'Promotions, newest first'), 400: problem('A malformed cursor or limit') },
});

export function promotionRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  // each history item's commit, image and proposal pages, from the configuration only (no I/O)
  const linker = deps.provenance?.linker;
  const linked = <P extends { items: Parameters<typeof withPromotionLinks>[2] }>(page: P) =>
    linker ? { ...page, items: withPromotionLinks(deps.engine.system, linker, page.items) } : page;
  app.openapi(promoteRoute, async (c) => {
    const { pipeline, phase } = c.req.valid('param');
    findPhase(findPipeline(deps.engine.system, pipeline), phase);
    const principal = c.get('principal');
    requireRole(principal, roleToPromote(deps.permissions, pipeline, phase), `promoting ${pipeline}/${phase}`);
    const raw = await c.req.text();
    let body: unknown = {};
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch (e) {
        throw new ApiError('invalid_request', `the body is not JSON: ${(e as Error).message}`);
      }
    }
    const parsed = promoteBodySchema.safeParse(body);
    if (!parsed.success)
      throw new ApiError(
        'invalid_request',
        parsed.error.issues.map((i) => `[${i.path.join('.')}] ${i.message}`).join('; '),
      );
    const { version, digest, ...rest } = parsed.data;
    const outcome = await deps.promotions.request({
      pipeline,
      phase,
      // the token holder authors the commit; the configured identity stays its committer
      trigger: { kind: 'person', actor: principal.name, ...authorField(principal.name) },
      ...rest,
      ...(version !== undefined ? { release: { version } } : digest !== undefined ? { release: { digest } } : {}),
    });
    await deps.store.recordAudit({
      actor: principal.name,
      action: 'promote',
      subject: `${pipeline}/${phase}`,
      detail: {
        outcome: outcome.kind,
        ...(outcome.kind === 'queued' ? { promotion: outcome.promotion.id } : {}),
        ...parsed.data,
      },
    });
    return c.json(outcome as never, outcome.kind === 'queued' ? 202 : 200);
  });
  app.openapi(allHistoryRoute, async (c) =>
    c.json(linked(await deps.store.listAllPromotions(c.req.valid('query'))) as never, 200),
  );
  app.openapi(promotionRoute, async (c) => {
    const { id } = c.req.valid('param');
    const p = await deps.store.getPromotion(id);
    if (!p) throw new ApiError('not_found', `no promotion ${id}`);
    return c.json((linker ? withPromotionLinks(deps.engine.system, linker, [p])[0] : p) as never, 200);
  });
  app.openapi(pipelineHistoryRoute, async (c) => {
    const { pipeline } = c.req.valid('param');
    const q = c.req.valid('query');
    const p = findPipeline(deps.engine.system, pipeline);
    if (q.phase !== undefined) findPhase(p, q.phase);
    return c.json(linked(await deps.store.listPromotions({ pipeline, ...q })) as never, 200);
  });
  app.openapi(phaseHistoryRoute, async (c) => {
    const { pipeline, phase } = c.req.valid('param');
    findPhase(findPipeline(deps.engine.system, pipeline), phase);
    return c.json(linked(await deps.store.listPromotions({ pipeline, phase, ...c.req.valid('query') })) as never, 200);
  });
  return app;
}
