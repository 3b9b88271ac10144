import type { PipelineStatus } from '@gantry/core';
import { silentLogger } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import type { ServerDeps } from './context.js';
import { createEventBus } from './events.js';
import { createMetrics } from './metrics.js';
import type { StateCache } from './state-cache.js';
import { listEntry } from './state-cache.js';

type State = PipelineStatus['phases'][number]['state'];

/** A pipeline oci -> staging -> production with the given states, team label and version time. */
function pipeline(name: string, team: string, staging: State, production: State, time?: string): PipelineStatus {
  const phase = (phase: string, state: State) =>
    ({
      pipeline: name,
      phase,
      labels: {} as Record<string, string>,
      source: `git config:${name}/${phase}.yaml`,
      writable: phase !== 'oci',
      state,
      digest: `sha256:${name}`,
      ...(time ? { setBy: { id: `c-${name}`, time: new Date(time) } } : {}),
      upstreams: [],
    }) satisfies PipelineStatus['phases'][number];
  return {
    pipeline: name,
    labels: { team },
    phases: [phase('oci', 'source'), phase('staging', staging), phase('production', production)],
  };
}

/** The real app over a list held in a map (what the state cache serves); nothing else is reachable. */
function appOver(list: Map<string, PipelineStatus>) {
  const unused = new Proxy({}, { get: (_, k) => expect.fail(`unexpected dependency ${String(k)}`) });
  const state: StateCache = {
    list: () => [...list.values()],
    listBody: () => {
      const json = JSON.stringify({ pipelines: [...list.values()].map(listEntry), observedAt: null });
      return { json, gzip: Buffer.from(''), etag: '"all"' };
    },
    listJson: () => state.listBody().json,
    get: (n) => list.get(n),
    observedAt: new Date('2025-01-01T00:00:00Z'),
    refresh: async () => [...list.values()],
  };
  const deps = {
    // routes look at the configured pipelines when they are built; the list reads only the state
    engine: { system: { pipelines: [], repositories: {}, registries: {} } },
    store: unused,
    promotions: unused,
    webhooks: unused,
    state,
    bus: createEventBus(),
    metrics: createMetrics({ defaultMetrics: false }),
    logger: silentLogger,
    permissions: [],
    open: true,
    ready: () => true,
  } as unknown as ServerDeps;
  return createApp(deps);
}

interface Page {
  pipelines: { pipeline: string }[];
  total: number;
  nextCursor: string | null;
}

async function get(app: ReturnType<typeof appOver>, query: string): Promise<Page> {
  const res = await app.request(`/api/v1/pipelines?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
}

const names = (p: Page) => p.pipelines.map((x) => x.pipeline);

function fleet(): Map<string, PipelineStatus> {
  const list = new Map<string, PipelineStatus>();
  const add = (p: PipelineStatus) => list.set(p.pipeline, p);
  add(pipeline('api', 'payments', 'in-sync', 'behind', '2025-01-03T00:00:00Z'));
  add(pipeline('billing', 'payments', 'in-sync', 'in-sync', '2025-01-01T00:00:00Z'));
  add(pipeline('checkout', 'web', 'behind', 'behind', '2025-01-02T00:00:00Z'));
  add(pipeline('docs', 'web', 'in-sync', 'in-sync'));
  add(pipeline('events', 'data', 'error', 'in-sync', '2025-01-04T00:00:00Z'));
  return list;
}

describe('GET /api/v1/pipelines: server-side filtering and paging', () => {
  it('GIVEN a fleet WHEN filtered by text, label and a phase state THEN only the matching pipelines, with their count', async () => {
    const app = appOver(fleet());
    expect(names(await get(app, 'q=CH'))).toEqual(['checkout']);
    expect(names(await get(app, 'q=team%3Dweb'))).toEqual(['checkout', 'docs']);
    expect(names(await get(app, 'label=team%3Dpayments'))).toEqual(['api', 'billing']);
    expect(names(await get(app, 'label=team!%3Dpayments&label=team'))).toEqual(['checkout', 'docs', 'events']);
    const behind = await get(app, 'state=production%3Abehind');
    expect(names(behind)).toEqual(['api', 'checkout']);
    expect(behind.total).toBe(2);
    expect(names(await get(app, 'state=production%3Abehind&state=!staging%3Abehind'))).toEqual(['api']);
    expect(names(await get(app, 'state=error'))).toEqual(['events']);
    expect(names(await get(app, 'state=production%3Abehind&label=team%3Dweb'))).toEqual(['checkout']);
  });

  it('GIVEN a fleet WHEN sorted THEN by name either way, by state worst first, by change newest first', async () => {
    const app = appOver(fleet());
    expect(names(await get(app, 'sort=-name'))).toEqual(['events', 'docs', 'checkout', 'billing', 'api']);
    expect(names(await get(app, 'sort=state'))).toEqual(['events', 'api', 'checkout', 'billing', 'docs']);
    expect(names(await get(app, 'sort=change'))).toEqual(['events', 'api', 'checkout', 'billing', 'docs']);
  });

  it('GIVEN limit 2 WHEN following nextCursor THEN every pipeline once, in order, and the last page says null', async () => {
    for (const sort of ['name', '-name', 'state', 'change']) {
      const app = appOver(fleet());
      const seen: string[] = [];
      let cursor: string | null = '';
      let pages = 0;
      while (cursor !== null) {
        const page = await get(app, `sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.total).toBe(5);
        expect(page.pipelines.length).toBeLessThanOrEqual(2);
        seen.push(...names(page));
        cursor = page.nextCursor;
        pages++;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(names(await get(app, `sort=${sort}`)));
    }
  });

  it('GIVEN a page read WHEN a pipeline before the cursor is removed and one added THEN the next page neither repeats nor skips', async () => {
    const list = fleet();
    const app = appOver(list);
    const first = await get(app, 'limit=2');
    expect(names(first)).toEqual(['api', 'billing']);
    list.delete('api');
    list.set('aardvark', pipeline('aardvark', 'web', 'in-sync', 'in-sync'));
    const second = await get(app, `limit=2&cursor=${first.nextCursor}`);
    expect(names(second)).toEqual(['checkout', 'docs']);
  });

  it('GIVEN no filter WHEN the list is asked THEN the whole observed list with its ETag, as the dashboard loads it', async () => {
    const app = appOver(fleet());
    const res = await app.request('/api/v1/pipelines');
    expect(res.headers.get('etag')).toBe('"all"');
    const body = (await res.json()) as Page;
    expect(body.pipelines).toHaveLength(5);
    expect(body.total).toBeUndefined();
  });

  it('GIVEN a filtered answer WHEN asked again with its ETag THEN 304', async () => {
    const app = appOver(fleet());
    const res = await app.request('/api/v1/pipelines?label=team%3Dweb');
    const etag = res.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await app.request('/api/v1/pipelines?label=team%3Dweb', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it.each([
    ['state=production%3Alate', 'state'],
    ['state=', 'state'],
    ['label=%3Dx', 'label'],
    ['sort=size', 'sort'],
    ['limit=0', 'limit'],
    ['limit=many', 'limit'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
  ])('GIVEN ?%s WHEN asked THEN 400 naming %s', async (query, param) => {
    const app = appOver(fleet());
    const res = await app.request(`/api/v1/pipelines?${query}`);
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('invalid_request');
    expect(problem.detail).toContain(`[${param}]`);
  });

  it('GIVEN a cursor of a list sorted by name WHEN used with another sort THEN 400 naming cursor', async () => {
    const app = appOver(fleet());
    const first = await get(app, 'limit=1');
    const res = await app.request(`/api/v1/pipelines?sort=state&limit=1&cursor=${first.nextCursor}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('[cursor]');
  });
});
