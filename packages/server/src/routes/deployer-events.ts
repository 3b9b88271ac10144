import { deployerEventsQuery, deployerEventsSchema } from '@gantry/api';
import { GantryError } from '@gantry/core';
import type { DeploymentEvent } from '@gantry/deployments';
import { deployerRefOf } from '@gantry/deployments';
import type { DeployerEventRecord } from '@gantry/store';
import { InvalidCursorError } from '@gantry/store';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, ServerDeps } from '../context.js';
import { json, problem } from './responses.js';

const listRoute = createRoute({
  method: 'get',
  path: '/deployer-events',
  tags: ['deployments'],
  summary: 'Reports of Flux and Argo CD as recorded, newest first; `unmatched=true` for those no phase names',
  request: { query: deployerEventsQuery },
  responses: {
    200: json(deployerEventsSchema, 'A page of reports, each with the `deployer:` mapping that would match it'),
    400: problem('A query the route does not accept, or a cursor this server did not hand out; `field` names it'),
  },
});

/** The store's cursor error, naming the query parameter at fault. */
class CursorError extends GantryError {
  constructor(e: InvalidCursorError) {
    super('invalid_cursor', e.message, { ...e.context, field: 'cursor' });
  }
}

/** The `deployer:` a phase would name to match a recorded report. */
function mappingOf(e: DeployerEventRecord) {
  if (e.deployer !== 'flux' && e.deployer !== 'argocd') return undefined;
  // deployerRefOf reads only who reported about which object: what the record keeps of the event
  return deployerRefOf({ deployer: e.deployer, object: e.object } as DeploymentEvent);
}

/** A recorded report as the API shows it: without its idempotency key, with its mapping hint. */
function toApi(e: DeployerEventRecord) {
  const { key: _key, ...rest } = e;
  const mapping = mappingOf(e);
  return { ...rest, ...(mapping ? { mapping } : {}) };
}

export function deployerEventRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await deps.store
      .listDeployerEvents({
        ...(q.unmatched === 'true' ? { unmatched: true } : {}),
        ...(q.limit !== undefined ? { limit: q.limit } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
      })
      .catch((e: unknown) => {
        if (e instanceof InvalidCursorError) throw new CursorError(e);
        throw e;
      });
    return c.json(
      { items: page.items.map(toApi), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } as never,
      200,
    );
  });
  return app;
}
