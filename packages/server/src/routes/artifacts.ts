import {
  artifactListSchema,
  artifactParams,
  artifactReportResultSchema,
  artifactReportSchema,
  artifactSchema,
  artifactStepBodySchema,
  artifactsQuery,
} from '@gantry/api';
import { findPipeline, GantryError } from '@gantry/core';
import { InvalidCursorError } from '@gantry/store';
import type { Context } from 'hono';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { ArtifactReports } from '../artifact-reports.js';
import { createArtifactReports, noBranchBuild } from '../artifact-reports.js';
import { requireRole } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { ApiError, toProblem } from '../problem.js';
import { json, problem } from './responses.js';
import { namingHook } from './naming-hook.js';

const reportRoute = createRoute({
  method: 'post',
  path: '/artifacts',
  tags: ['artifacts'],
  summary: 'Report what CI built: image and digest (or chart and version), source commit, CI run and steps',
  description:
    'Idempotent per digest (or chart version) and step: a replay changes nothing (200, `unchanged`), a later status ' +
    "of a step updates it. A digest the registry does not hold (or that cannot be checked) is recorded with `verified: false` and the reason. Without `source.commit` (or with `fromLabels`), the image's OCI annotations/labels fill the source facts the report leaves out. Needs role ci, promoter or admin.",
  request: { body: { content: { 'application/json': { schema: artifactReportSchema } }, required: true } },
  responses: {
    201: json(artifactReportResultSchema, 'A new artifact'),
    200: json(artifactReportResultSchema, 'An artifact already reported: updated, or unchanged (a replay)'),
    400: problem('A malformed field; the detail and `issues` name it (e.g. `[source.commit]`)'),
    403: problem('The token may not report artifacts (viewer)'),
    404: problem('The `pipeline` named does not exist (`known` lists those that do)'),
  },
});

const stepRoute = createRoute({
  method: 'post',
  path: '/artifacts/{id}/steps',
  tags: ['artifacts'],
  summary: 'Report one step of the CI run (build, test, scan...) as it starts or ends',
  request: {
    params: artifactParams,
    body: { content: { 'application/json': { schema: artifactStepBodySchema } }, required: true },
  },
  responses: {
    200: json(artifactReportResultSchema, 'The artifact with the step as now recorded (`unchanged` for a replay)'),
    400: problem('A malformed field; the detail and `issues` name it'),
    403: problem('The token may not report artifacts (viewer)'),
    404: problem('No artifact has that id'),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/artifacts',
  tags: ['artifacts'],
  summary: 'Reported artifacts, newest first; by pipeline, branch and digest',
  description:
    '`?pipeline=p&branch=b&limit=1` is the newest build of a branch (what `gantry release --branch` takes). With ' +
    '`pipeline` and `branch` and no build from that branch: 404 `no_branch_build` whose `branches` lists the branches that have builds.',
  request: { query: artifactsQuery },
  responses: {
    200: json(artifactListSchema, 'A page of artifacts'),
    400: problem('A malformed query parameter, or a cursor this server did not hand out; `field` names it'),
    404: problem('Unknown pipeline (`known`), or no build from that branch (`branches`)'),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/artifacts/{id}',
  tags: ['artifacts'],
  summary: 'One artifact with the steps of its run',
  request: { params: artifactParams },
  responses: {
    200: json(artifactSchema, 'The artifact'),
    404: problem('No artifact has that id'),
  },
});

class UnknownArtifactError extends GantryError {
  constructor(id: string) {
    super('unknown_artifact', `no artifact has id "${id}"`, { id, field: 'id' });
  }
}

/** problem+json with extra members (`branches`) that the shared mapping does not know. */
function problemWith(c: Context, e: GantryError, extra: Record<string, unknown>): Response {
  const p = { ...toProblem(e), ...extra };
  return c.body(JSON.stringify(p), 404, { 'content-type': 'application/problem+json' });
}

/** POST /artifacts (CI's report), its steps, and the reads `release --branch`/`--artifact` resolve with. */
export function artifactRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const reports: ArtifactReports =
    deps.artifacts ?? createArtifactReports({ system: deps.engine.system, store: deps.store, bus: deps.bus });

  app.openapi(
    reportRoute,
    async (c) => {
      const principal = c.get('principal');
      requireRole(principal, 'ci', 'reporting artifacts');
      const r = await reports.report(c.req.valid('json'), principal);
      return c.json(r as never, r.outcome === 'created' ? 201 : 200);
    },
    namingHook,
  );
  app.openapi(
    stepRoute,
    async (c) => {
      const principal = c.get('principal');
      requireRole(principal, 'ci', 'reporting artifact steps');
      const { id } = c.req.valid('param');
      const r = await reports.step(id, c.req.valid('json'), principal);
      if (!r) throw new UnknownArtifactError(id);
      return c.json(r as never, 200);
    },
    namingHook,
  );
  app.openapi(
    listRoute,
    async (c) => {
      const q = c.req.valid('query');
      if (q.pipeline !== undefined) findPipeline(deps.engine.system, q.pipeline);
      const page = await deps.store
        .listArtifacts({
          ...(q.pipeline !== undefined ? { pipeline: q.pipeline } : {}),
          ...(q.branch !== undefined ? { branch: q.branch } : {}),
          ...(q.digest !== undefined ? { digest: q.digest } : {}),
          ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
          ...(q.limit !== undefined ? { limit: q.limit } : {}),
        })
        .catch((e: unknown) => {
          if (e instanceof InvalidCursorError)
            throw new GantryError('invalid_cursor', e.message, { ...e.context, field: 'cursor' });
          throw e;
        });
      if (page.items.length === 0 && q.pipeline !== undefined && q.branch !== undefined && q.cursor === undefined) {
        const branches = await deps.store.artifactBranches(q.pipeline);
        const e = noBranchBuild(q.pipeline, q.branch, branches);
        return problemWith(c, e, { branches }) as never;
      }
      return c.json({ items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } as never, 200);
    },
    namingHook,
  );
  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const a = await deps.store.getArtifact(id);
    if (!a) throw new UnknownArtifactError(id);
    return c.json(a as never, 200);
  });
  return app;
}
