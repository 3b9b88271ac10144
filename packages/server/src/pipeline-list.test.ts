import type { PipelineStatus } from '@gantry/core';
import { silentLogger } from '@gantry/core';
import { gunzipSync } from 'node:zlib';
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

/**
 * Pipelines as the state cache holds them: changing one is a read of it, which gives the state a
 * new `observedAt` and `version` (as the real cache does); `reads` counts how often the whole list
 * was taken.
 */
class Fleet extends Map<string, PipelineStatus> {
  observedAt = new Date('2025-01-01T00:00:00Z');
  version = 0;
  reads = 0;
  override set(name: string, p: PipelineStatus): this {
    super.set(name, p);
    this.observedAt = new Date();
    this.version++;
    return this;
  }
  override delete(name: string): boolean {
    this.observedAt = new Date();
    this.version++;
    return super.delete(name);
  }
}

/** The real app over a list held in a map (what the state cache serves); nothing else is reachable. */
function appOver(list: Fleet, bus = createEventBus()) {
  const unused = new Proxy({}, { get: (_, k) => expect.fail(`unexpected dependency ${String(k)}`) });
  const state: StateCache = {
    list: () => {
      list.reads++;
      return [...list.values()];
    },
    get: (n) => list.get(n),
    get observedAt() {
      return list.observedAt;
    },
    get version() {
      return list.version;
    },
    refresh: async () => [...list.values()],
  };
  const deps = {
    // routes look at the configured pipelines when they are built; the list reads only the state
    engine: { system: { pipelines: [], repositories: {}, registries: {} } },
    // open mode asks now and then whether a token exists: none
    store: new Proxy(
      { listTokens: async () => [] },
      { get: (t, k) => (k === 'listTokens' ? t.listTokens : expect.fail(`unexpected store call ${String(k)}`)) },
    ),
    promotions: unused,
    webhooks: unused,
    state,
    bus,
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

function fleet(): Fleet {
  const list = new Fleet();
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
    expect(res.headers.get('etag')).toMatch(/^"[\w-]+\.\d+"$/);
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

  it('GIVEN the whole list WHEN asked again with its ETag THEN 304 without a body', async () => {
    const app = appOver(fleet());
    const res = await app.request('/api/v1/pipelines');
    const again = await app.request('/api/v1/pipelines', {
      headers: { 'if-none-match': res.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('GIVEN gzip accepted WHEN a page is asked THEN it comes gzipped and reads as the same page', async () => {
    const list = fleet();
    for (let i = 0; i < 30; i++) list.set(`svc-${i}`, pipeline(`svc-${i}`, 'web', 'in-sync', 'behind'));
    const app = appOver(list);
    const plain = await get(app, 'state=production%3Abehind');
    const res = await app.request('/api/v1/pipelines?state=production%3Abehind', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toBe('accept-encoding');
    const body = gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8');
    expect(JSON.parse(body)).toEqual(plain);
  });
});

describe('GET /api/v1/pipelines: answers kept until the state changes', () => {
  it('GIVEN a page served WHEN asked again with nothing read meanwhile THEN the same answer, without taking the list again', async () => {
    const list = fleet();
    const app = appOver(list);
    const first = await app.request('/api/v1/pipelines?sort=state&limit=2');
    const reads = list.reads;
    const second = await app.request('/api/v1/pipelines?sort=state&limit=2');
    await app.request('/api/v1/pipelines?sort=change&label=team%3Dweb');
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(list.reads).toBe(reads);
  });

  it('GIVEN a page served WHEN a pipeline is read again in another state THEN the next answer shows it, with another ETag', async () => {
    const list = fleet();
    const app = appOver(list);
    const before = await app.request('/api/v1/pipelines?state=production%3Abehind');
    expect(names((await before.clone().json()) as Page)).toEqual(['api', 'checkout']);
    list.set('billing', pipeline('billing', 'payments', 'in-sync', 'behind'));
    const after = await app.request('/api/v1/pipelines?state=production%3Abehind', {
      headers: { 'if-none-match': before.headers.get('etag') ?? '' },
    });
    expect(after.status).toBe(200);
    expect(names((await after.json()) as Page)).toEqual(['api', 'billing', 'checkout']);
  });

  it("GIVEN a page served WHEN a pipeline's served state changes without a read (a promotion's deployment shown) THEN the next answer shows it", async () => {
    const list = fleet();
    const app = appOver(list);
    expect(names(await get(app, 'state=error'))).toEqual(['events']);
    // the state cache replaces the pipeline and counts a new version; no read, so observedAt stays
    const observedAt = list.observedAt;
    list.set('docs', pipeline('docs', 'web', 'error', 'in-sync'));
    list.observedAt = observedAt;
    expect(names(await get(app, 'state=error'))).toEqual(['docs', 'events']);
  });

  it('GIVEN the whole list served WHEN asked again unchanged, then after one pipeline changes THEN a 304 without taking the list, then the new list under another ETag', async () => {
    // GIVEN
    const list = fleet();
    const app = appOver(list);
    const first = await app.request('/api/v1/pipelines');
    const body = (await first.clone().json()) as { pipelines: PipelineStatus[]; observedAt: unknown };
    expect(body.pipelines.map((p) => p.pipeline)).toEqual(['api', 'billing', 'checkout', 'docs', 'events']);
    expect(body.pipelines[0]).toEqual(JSON.parse(JSON.stringify(listEntry(list.get('api') as PipelineStatus))));
    const etag = first.headers.get('etag') ?? '';
    const reads = list.reads;
    // WHEN asked again with nothing changed
    const again = await app.request('/api/v1/pipelines', { headers: { 'if-none-match': etag } });
    // THEN
    expect(again.status).toBe(304);
    expect(list.reads).toBe(reads);
    // WHEN one pipeline changes
    list.set('docs', pipeline('docs', 'web', 'error', 'in-sync'));
    const changed = await app.request('/api/v1/pipelines', { headers: { 'if-none-match': etag } });
    // THEN
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const after = (await changed.json()) as { pipelines: PipelineStatus[] };
    expect(after.pipelines.find((p) => p.pipeline === 'docs')?.phases[1]?.state).toBe('error');
  });

  it('GIVEN 500 pipelines WHEN every sort, filter and page size is walked page by page THEN each page is what filtering and sorting the whole list gives', async () => {
    const list = new Fleet();
    const states: State[] = ['in-sync', 'behind', 'error', 'empty'];
    for (let i = 0; i < 500; i++) {
      // names out of order and shared sort keys, so ties are broken by name
      const name = `p-${(i * 7919) % 500}`;
      const day = 1 + (i % 9);
      list.set(
        name,
        pipeline(
          name,
          ['web', 'data', 'payments'][i % 3] ?? 'web',
          states[i % 4] ?? 'in-sync',
          states[(i >> 2) % 4] ?? 'in-sync',
          i % 5 === 0 ? undefined : `2025-01-0${day}T00:00:00Z`,
        ),
      );
    }
    const app = appOver(list);
    const all = [...list.values()];
    const severity: Record<string, number> = { error: 0, behind: 1, empty: 2, 'in-sync': 3, source: 4 };
    const worst = (p: PipelineStatus) => Math.min(...p.phases.map((ph) => severity[ph.state] ?? 5));
    const newest = (p: PipelineStatus) => {
      const t = Math.max(...p.phases.map((ph) => ph.setBy?.time?.getTime() ?? Number.NEGATIVE_INFINITY));
      return t === Number.NEGATIVE_INFINITY ? Number.MAX_SAFE_INTEGER : -t;
    };
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const expected = (sort: string, keep: (p: PipelineStatus) => boolean) =>
      all
        .filter(keep)
        .sort((a, b) =>
          sort === '-name'
            ? cmp(b.pipeline, a.pipeline)
            : sort === 'state'
              ? worst(a) - worst(b) || cmp(a.pipeline, b.pipeline)
              : sort === 'change'
                ? newest(a) - newest(b) || cmp(a.pipeline, b.pipeline)
                : cmp(a.pipeline, b.pipeline),
        )
        .map((p) => p.pipeline);
    const filters: [string, (p: PipelineStatus) => boolean][] = [
      ['', () => true],
      ['&state=production%3Abehind', (p) => p.phases[2]?.state === 'behind'],
      [
        '&label=team%3Dweb&state=!error',
        (p) => p.labels.team === 'web' && !p.phases.some((ph) => ph.state === 'error'),
      ],
      ['&q=p-1', (p) => p.pipeline.includes('p-1')],
    ];
    for (const sort of ['name', '-name', 'state', 'change'])
      for (const [filter, keep] of filters)
        for (const limit of [7, 100]) {
          const seen: string[] = [];
          let cursor: string | null = '';
          while (cursor !== null) {
            const page: Page = await get(
              app,
              `sort=${sort}${filter}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
            );
            expect(page.total).toBe(expected(sort, keep).length);
            seen.push(...names(page));
            cursor = page.nextCursor;
          }
          expect(seen, `sort=${sort}${filter}&limit=${limit}`).toEqual(expected(sort, keep));
        }
  });
});
