import {
  holdListSchema,
  holdSchema,
  holdsQuery,
  pauseBodySchema,
  pauseQuery,
  phaseParams,
  pinBodySchema,
  pipelineParams,
  releaseBodySchema,
} from '@gantry/api';
import type { Pipeline } from '@gantry/core';
import { findPhase, findPipeline, NotWritableError } from '@gantry/core';
import type { Hold } from '@gantry/store';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Principal, Role } from '../auth.js';
import { requireRole, roleAtLeast, roleToPromote } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { ApiError } from '../problem.js';
import { namingHook } from './naming-hook.js';
import { json, problem } from './responses.js';

const releaseBody = { content: { 'application/json': { schema: releaseBodySchema } }, required: false } as const;

const pinRoute = createRoute({
  method: 'post',
  path: '/pipelines/{pipeline}/phases/{phase}/pin',
  tags: ['holds'],
  summary: 'Pin a phase: automation (policies, schedules, webhooks) leaves it where it is until the pin is released',
  request: {
    params: phaseParams,
    body: { content: { 'application/json': { schema: pinBodySchema } }, required: true },
  },
  responses: {
    201: json(holdSchema, 'The pin (it replaces an earlier pin of the phase)'),
    400: problem('No reason (`field: "reason"`), a malformed digest, or a phase nothing promotes into'),
    403: problem('The token may not promote into this phase'),
    404: problem('Unknown pipeline or phase'),
  },
});

const unpinRoute = createRoute({
  method: 'delete',
  path: '/pipelines/{pipeline}/phases/{phase}/pin',
  tags: ['holds'],
  summary: "Release a phase's pin: automation may move it again",
  request: { params: phaseParams, body: releaseBody },
  responses: {
    200: json(holdSchema, 'The pin, released'),
    403: problem('The token may not promote into this phase'),
    404: problem('Unknown pipeline or phase, or the phase is not pinned'),
  },
});

const pauseRoute = createRoute({
  method: 'post',
  path: '/pipelines/{pipeline}/pause',
  tags: ['holds'],
  summary: 'Pause a pipeline, or one phase of it: automation moves nothing there until it is resumed',
  request: {
    params: pipelineParams,
    body: { content: { 'application/json': { schema: pauseBodySchema } }, required: true },
  },
  responses: {
    201: json(holdSchema, 'The pause (it replaces an earlier pause of the same phase or pipeline)'),
    400: problem('No reason (`field: "reason"`), or a phase nothing promotes into'),
    403: problem('The token may not promote into the phase (for a whole pipeline: into every phase of it)'),
    404: problem('Unknown pipeline or phase'),
  },
});

const resumeRoute = createRoute({
  method: 'delete',
  path: '/pipelines/{pipeline}/pause',
  tags: ['holds'],
  summary: 'Resume a paused pipeline (or, with `phase`, a paused phase)',
  request: { params: pipelineParams, query: pauseQuery, body: releaseBody },
  responses: {
    200: json(holdSchema, 'The pause, released'),
    403: problem('The token may not promote into the phase (for a whole pipeline: into every phase of it)'),
    404: problem('Unknown pipeline or phase, or it is not paused'),
  },
});

const holdsRoute = createRoute({
  method: 'get',
  path: '/holds',
  tags: ['holds'],
  summary: 'The pins and pauses in force, with who set them and why',
  request: { query: holdsQuery },
  responses: { 200: json(holdListSchema, 'Holds in force, oldest first'), 404: problem('Unknown pipeline') },
});

/** The strictest role promoting into any of the pipeline's phases needs: a pause of all of them needs it. */
function roleForPipeline(deps: ServerDeps, p: Pipeline): Role {
  return p.phases
    .map((ph) => roleToPromote(deps.permissions, p.name, ph.name))
    .reduce<Role>((a, b) => (roleAtLeast(a, b) ? a : b), 'viewer');
}

/** The phase a hold is about, which must be one something promotes into: automation never writes a source phase. */
function holdablePhase(deps: ServerDeps, pipeline: string, phase: string) {
  const ph = findPhase(findPipeline(deps.engine.system, pipeline), phase);
  if (ph.promotesFrom.length === 0) throw new NotWritableError(pipeline, phase);
  return ph;
}

const where = (h: { pipeline: string; phase?: string | undefined }) =>
  h.phase === undefined ? h.pipeline : `${h.pipeline}/${h.phase}`;

/**
 * Pins and pauses by people (`gantry pin`, `unpin`, `pause`, `resume`): the role that may
 * promote into the phase sets and releases them, with a reason, recorded in the audit log.
 * Automation respects them (the lifecycle's `refuseHeld`); a person may still promote.
 */
export function holdRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  const audit = (principal: Principal, action: string, h: Hold, reason?: string) =>
    deps.store.recordAudit({
      actor: principal.name,
      action,
      subject: where(h),
      detail: {
        hold: h.id,
        kind: h.kind,
        ...(h.digest ? { digest: h.digest } : {}),
        ...(reason ? { reason } : {}),
      },
    });

  /** A hold set: recorded in the audit log, and on the event stream for the dashboard. */
  const set = async (principal: Principal, action: string, h: Hold, reason: string) => {
    await audit(principal, action, h, reason);
    deps.bus.publish({ type: 'hold', hold: h, change: 'set' });
  };

  /**
   * Once released, promotions waiting on gates are judged again, and the pipeline is reconciled
   * at once: an auto-promoting phase behind its upstream moves now, not at the next schedule.
   * A reconcile that fails (a remote down) does not undo the release: the next trigger retries.
   */
  const released = async (principal: Principal, action: 'unpin' | 'resume', h: Hold, reason?: string) => {
    await audit(principal, action, h, reason);
    deps.bus.publish({ type: 'hold', hold: h, change: 'released' });
    await deps.promotions.reconsider();
    await deps.reconciler
      ?.reconcile([h.pipeline], { kind: 'policy', policy: action === 'unpin' ? 'unpinned' : 'resumed' })
      .catch((e: unknown) =>
        deps.logger.warn({ pipeline: h.pipeline, err: String(e) }, `reconcile after ${action} failed`),
      );
  };

  const notHeld = (what: string, kind: Hold['kind']) =>
    new ApiError('not_found', `${what} is not ${kind === 'pin' ? 'pinned' : 'paused'}: nothing to release`);

  /** The version the phase holds now, read now; none when it cannot be read (a pin in an incident still holds). */
  const currentDigest = async (pipeline: string, phase: string) => {
    const [status] = await deps.state.refresh([pipeline]).catch(() => []);
    return status?.phases.find((s) => s.phase === phase)?.digest;
  };

  app.openapi(
    pinRoute,
    async (c) => {
      const { pipeline, phase } = c.req.valid('param');
      const body = c.req.valid('json');
      holdablePhase(deps, pipeline, phase);
      const principal = c.get('principal');
      requireRole(principal, roleToPromote(deps.permissions, pipeline, phase), `pinning ${pipeline}/${phase}`);
      const digest = body.digest ?? (await currentDigest(pipeline, phase));
      const hold = await deps.store.setHold({
        pipeline,
        phase,
        kind: 'pin',
        actor: principal.name,
        reason: body.reason,
        ...(digest ? { digest } : {}),
      });
      await set(principal, 'pin', hold, body.reason);
      return c.json(hold as never, 201);
    },
    namingHook,
  );

  app.openapi(
    unpinRoute,
    async (c) => {
      const { pipeline, phase } = c.req.valid('param');
      const reason = (c.req.valid('json') as { reason?: string } | undefined)?.reason || undefined;
      findPhase(findPipeline(deps.engine.system, pipeline), phase);
      const principal = c.get('principal');
      requireRole(principal, roleToPromote(deps.permissions, pipeline, phase), `unpinning ${pipeline}/${phase}`);
      const hold = await deps.store.releaseHold({ pipeline, phase, kind: 'pin', by: principal.name });
      if (!hold) throw notHeld(`${pipeline}/${phase}`, 'pin');
      await released(principal, 'unpin', hold, reason);
      return c.json(hold as never, 200);
    },
    namingHook,
  );

  app.openapi(
    pauseRoute,
    async (c) => {
      const { pipeline } = c.req.valid('param');
      const body = c.req.valid('json');
      const p = findPipeline(deps.engine.system, pipeline);
      const principal = c.get('principal');
      if (body.phase !== undefined) {
        holdablePhase(deps, pipeline, body.phase);
        requireRole(
          principal,
          roleToPromote(deps.permissions, pipeline, body.phase),
          `pausing ${pipeline}/${body.phase}`,
        );
      } else requireRole(principal, roleForPipeline(deps, p), `pausing pipeline ${pipeline}`);
      const hold = await deps.store.setHold({
        pipeline,
        ...(body.phase !== undefined ? { phase: body.phase } : {}),
        kind: 'pause',
        actor: principal.name,
        reason: body.reason,
      });
      await set(principal, 'pause', hold, body.reason);
      return c.json(hold as never, 201);
    },
    namingHook,
  );

  app.openapi(
    resumeRoute,
    async (c) => {
      const { pipeline } = c.req.valid('param');
      const { phase } = c.req.valid('query');
      const reason = (c.req.valid('json') as { reason?: string } | undefined)?.reason || undefined;
      const p = findPipeline(deps.engine.system, pipeline);
      const principal = c.get('principal');
      if (phase !== undefined) {
        findPhase(p, phase);
        requireRole(principal, roleToPromote(deps.permissions, pipeline, phase), `resuming ${pipeline}/${phase}`);
      } else requireRole(principal, roleForPipeline(deps, p), `resuming pipeline ${pipeline}`);
      const hold = await deps.store.releaseHold({
        pipeline,
        ...(phase !== undefined ? { phase } : {}),
        kind: 'pause',
        by: principal.name,
      });
      if (!hold) throw notHeld(phase === undefined ? `pipeline ${pipeline}` : `${pipeline}/${phase}`, 'pause');
      await released(principal, 'resume', hold, reason);
      return c.json(hold as never, 200);
    },
    namingHook,
  );

  app.openapi(holdsRoute, async (c) => {
    const { pipeline } = c.req.valid('query');
    if (pipeline !== undefined) findPipeline(deps.engine.system, pipeline);
    return c.json({ items: await deps.store.activeHolds(pipeline) } as never, 200);
  });

  return app;
}
