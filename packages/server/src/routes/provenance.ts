import { chainQuery, chainSchema, lineageQuery, lineageSchema, phaseParams, pipelineParams } from '@gantry/api';
import { findPhase, findPipeline } from '@gantry/core';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { readChain, storeOnlyProvenance } from '../chain-read.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { readLineage } from '../lineage-read.js';
import { json, problem } from './responses.js';

const chainRoute = createRoute({
  method: 'get',
  path: '/pipelines/{pipeline}/phases/{phase}/chain',
  tags: ['provenance'],
  summary: 'How a version got into a phase: source commit, CI run, image, config commit, applied, healthy, verified',
  description:
    "Each link with its state, who and when, and its web page (`links`). `?version=` or `?digest=` names the version (a promotion's, or one from the phase's Git history); neither: what the phase runs now. Source facts come from CI's artifact report, else the image's OCI labels.",
  request: { params: phaseParams, query: chainQuery },
  responses: {
    200: json(chainSchema, 'The chain'),
    400: problem('Both version and digest named'),
    404: problem('Unknown pipeline or phase (`known`), or a version the phase never held'),
  },
});

const lineageRoute = createRoute({
  method: 'get',
  path: '/pipelines/{pipeline}/lineage',
  tags: ['provenance'],
  summary: "A pipeline's versions and where each has been: entered, left and verified per phase",
  description:
    "Newest first. From Gantry's promotions, each Git phase's history (commits Gantry did not write count as entering at their commit's time), what each phase holds now, and CI's reports. `release` says how to release a version (`POST .../promotions` with it; `GET .../plan` with it for the diff).",
  request: { params: pipelineParams, query: lineageQuery },
  responses: { 200: json(lineageSchema, 'The lineage'), 404: problem('Unknown pipeline (`known`)') },
});

export function provenanceRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const provenance = deps.provenance ?? storeOnlyProvenance;
  const d = { system: deps.engine.system, store: deps.store, provenance };
  const statusOf = async (pipeline: string) => deps.state.get(pipeline) ?? (await deps.state.refresh([pipeline]))[0];

  app.openapi(chainRoute, async (c) => {
    const { pipeline, phase } = c.req.valid('param');
    const q = c.req.valid('query');
    findPhase(findPipeline(deps.engine.system, pipeline), phase);
    const current = (await statusOf(pipeline))?.phases.find((p) => p.phase === phase);
    const chain = await readChain(d, { pipeline, phase, version: q.version, digest: q.digest }, current);
    return c.json(chain as never, 200);
  });
  app.openapi(lineageRoute, async (c) => {
    const { pipeline } = c.req.valid('param');
    findPipeline(deps.engine.system, pipeline);
    const status = await statusOf(pipeline);
    const lineage = await readLineage(d, pipeline, status?.phases ?? [], c.req.valid('query').limit);
    return c.json(lineage as never, 200);
  });
  return app;
}
