import { decisionBodySchema, phaseParams, promotionParams, promotionSchema, whyQuery, whySchema } from '@gantry/api';
import { GantryError } from '@gantry/core';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, ServerDeps } from '../context.js';
import { ApiError } from '../problem.js';
import { json, problem } from './responses.js';

const decisionRoute = (decision: 'approve' | 'reject') =>
  createRoute({
    method: 'post',
    path: `/promotions/{id}/${decision}`,
    tags: ['gates'],
    summary:
      decision === 'approve'
        ? 'Approve the version a waiting promotion carries (its gates are judged again at once)'
        : 'Reject the version a waiting promotion carries, with a comment',
    request: {
      params: promotionParams,
      body: { content: { 'application/json': { schema: decisionBodySchema } }, required: false },
    },
    responses: {
      200: json(promotionSchema, 'The promotion as its gates now judge it: waiting, queued or failed'),
      400: problem('A rejection without a comment'),
      404: problem('Unknown promotion'),
      409: problem('promotion_not_waiting: the promotion waits for no decision'),
    },
  });

const whyRoute = createRoute({
  method: 'get',
  path: '/pipelines/{pipeline}/phases/{phase}/why',
  tags: ['gates'],
  summary:
    'Why a version is (not) in a phase: the plan, every gate with its evidence and what would unblock it, pins and pauses',
  request: { params: phaseParams, query: whyQuery },
  responses: {
    200: json(whySchema, 'The plan, the gates, the holds and the unfinished promotions of the phase'),
    404: problem('Unknown pipeline, phase or version'),
  },
});

/** A version named by digest: the target some promotion of the pipeline carried to it. */
async function targetOf(deps: ServerDeps, pipeline: string, digest: string): Promise<unknown> {
  for (let cursor: string | undefined, i = 0; i < 10; i++) {
    const page = await deps.store.listPromotions({ pipeline, limit: 200, ...(cursor ? { cursor } : {}) });
    const hit = page.items.find((p) => p.toDigest === digest);
    if (hit) return hit.target;
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  throw new GantryError('not_found', `no promotion of ${pipeline} carried ${digest}; name a version Gantry has seen`, {
    field: 'digest',
  });
}

/** Approvals and rejections (`gantry approve` / `reject`), and `gantry why`. */
export function gateRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  for (const decision of ['approve', 'reject'] as const) {
    app.openapi(decisionRoute(decision), async (c) => {
      const { id } = c.req.valid('param');
      const body = (c.req.valid('json') as { comment?: string } | undefined) ?? {};
      if (decision === 'reject' && !body.comment?.trim())
        throw new ApiError('invalid_request', '[comment] a rejection says why', { field: 'comment' });
      const principal = c.get('principal');
      // a CI token reports what it built; deciding on a version is for people
      if (principal.role === 'ci')
        throw new ApiError('forbidden', `deciding on a promotion needs a person's token; "${principal.name}" has ci`);
      const p = await deps.promotions.decide({
        id,
        actor: principal.name,
        role: principal.role,
        decision,
        ...(body.comment ? { comment: body.comment } : {}),
      });
      await deps.store.recordAudit({
        actor: principal.name,
        action: decision,
        subject: `${p.pipeline}/${p.phase}`,
        detail: {
          promotion: id,
          digest: p.toDigest,
          ...(body.comment ? { comment: body.comment } : {}),
          state: p.state,
        },
      });
      return c.json(p as never, 200);
    });
  }
  app.openapi(whyRoute, async (c) => {
    const { pipeline, phase } = c.req.valid('param');
    const { digest, as } = c.req.valid('query');
    const target = digest ? await targetOf(deps, pipeline, digest) : undefined;
    const why = await deps.promotions.why({
      pipeline,
      phase,
      ...(target !== undefined ? { target } : {}),
      // judged as the caller's own release by hand: the click the promote dialog is about to make
      ...(as === 'person' ? { trigger: { kind: 'person' as const, actor: c.get('principal').name } } : {}),
    });
    return c.json(why as never, 200);
  });
  return app;
}
