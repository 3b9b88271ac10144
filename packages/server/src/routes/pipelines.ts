import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { findPhase, findPipeline } from '@gantry/core';
import {
  phaseDetailSchema,
  phaseParams,
  pipelineListQuery,
  pipelinePageSchema,
  pipelineParams,
  pipelineStatusSchema,
  planQuery,
  planSchema,
  refreshQuery,
} from '@gantry/api';
import type { AppEnv, ServerDeps } from '../context.js';
import { createPipelinePages } from '../pipeline-pages.js';
import { isListQuery, parsePipelineQuery } from '../pipeline-query.js';
import { listEntry } from '../state-cache.js';
import { json, problem } from './responses.js';

const listRoute = createRoute({
  method: 'get',
  path: '/pipelines',
  tags: ['pipelines'],
  summary: 'Every pipeline and the state of its phases (what runs where); filtered and paged on request',
  request: { query: pipelineListQuery },
  responses: {
    200: json(
      pipelinePageSchema,
      'All pipelines, as last observed; with a filter, sort, limit or cursor the matching ones with `total` and `nextCursor`',
    ),
    400: problem('A bad filter, sort, limit or cursor, named'),
    401: problem('No or bad token'),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/pipelines/{pipeline}',
  tags: ['pipelines'],
  request: { params: pipelineParams, query: refreshQuery },
  responses: { 200: json(pipelineStatusSchema, 'One pipeline'), 404: problem('Unknown pipeline; known names listed') },
});

const phaseRoute = createRoute({
  method: 'get',
  path: '/pipelines/{pipeline}/phases/{phase}',
  tags: ['pipelines'],
  request: { params: phaseParams },
  responses: {
    200: json(phaseDetailSchema, 'The phase: resource, upstream comparison, last promotion'),
    404: problem('Unknown pipeline or phase; known names listed'),
  },
});

const planRoute = createRoute({
  method: 'get',
  path: '/pipelines/{pipeline}/phases/{phase}/plan',
  tags: ['promotions'],
  summary: 'The diff a promotion (or a rollback to an earlier promotion) would write',
  request: { params: phaseParams, query: planQuery },
  responses: {
    200: json(planSchema, 'The plan, as the promotion would run it'),
    400: problem('A read-only phase, or a rollback to a version no longer valid for the pipeline'),
    404: problem('Unknown name, or no such promotion to roll back to'),
    502: problem('A registry or Git remote failed, or the phase file cannot be read (updater_failed)'),
  },
});

export function pipelineRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const pages = createPipelinePages(
    {
      list: () => deps.state.list(),
      get observedAt() {
        return deps.state.observedAt;
      },
      version: () => deps.state.version,
    },
    { entry: listEntry },
  );
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    if (isListQuery(query)) {
      // parsed before any refresh: a bad parameter costs no read
      const parsed = parsePipelineQuery(query);
      if (query.refresh === 'true') await deps.state.refresh();
      const page = pages.answer(parsed);
      const headers = { 'content-type': 'application/json', etag: page.etag, vary: 'accept-encoding' };
      if (c.req.header('if-none-match') === page.etag) return c.body(null, 304, headers) as never;
      // a page of a few pipelines is smaller than compressing it is worth
      if (page.json.length > 1024 && /\bgzip\b/.test(c.req.header('accept-encoding') ?? ''))
        return c.body(page.gzip() as unknown as Uint8Array<ArrayBuffer>, 200, {
          ...headers,
          'content-encoding': 'gzip',
        }) as never;
      return c.body(page.json, 200, headers) as never;
    }
    if (query.refresh === 'true') await deps.state.refresh();
    const body = pages.whole();
    const headers = { 'content-type': 'application/json', etag: body.etag, vary: 'accept-encoding' };
    if (c.req.header('if-none-match') === body.etag) return c.body(null, 304, headers) as never;
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      // a Buffer is a Uint8Array: sent as it is, no copy per request
      return c.body(body.gzip() as unknown as Uint8Array<ArrayBuffer>, 200, {
        ...headers,
        'content-encoding': 'gzip',
      }) as never;
    }
    return c.body(body.json, 200, headers) as never;
  });
  app.openapi(getRoute, async (c) => {
    const { pipeline } = c.req.valid('param');
    findPipeline(deps.engine.system, pipeline);
    const fresh = c.req.valid('query').refresh === 'true';
    const status = (!fresh && deps.state.get(pipeline)) || (await deps.state.refresh([pipeline]))[0];
    return c.json(status as never, 200);
  });
  app.openapi(phaseRoute, async (c) => {
    const { pipeline, phase } = c.req.valid('param');
    findPhase(findPipeline(deps.engine.system, pipeline), phase);
    const status = (deps.state.get(pipeline) ?? (await deps.state.refresh([pipeline]))[0])?.phases.find(
      (p) => p.phase === phase,
    );
    const last = await deps.store.listPromotions({ pipeline, phase, limit: 1 });
    return c.json({ status: status ?? null, lastPromotion: last.items[0] ?? null } as never, 200);
  });
  app.openapi(planRoute, async (c) => {
    const { pipeline, phase } = c.req.valid('param');
    const { rollbackOf, version, digest } = c.req.valid('query');
    const plan = await deps.promotions.plan({
      pipeline,
      phase,
      ...(rollbackOf ? { rollbackOf } : {}),
      ...(version !== undefined ? { release: { version } } : digest !== undefined ? { release: { digest } } : {}),
    });
    return c.json(plan as never, 200);
  });
  return app;
}
