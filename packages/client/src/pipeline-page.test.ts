import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';

describe('client pipelinePage()', () => {
  it('GIVEN a filter with repeated labels and states, a sort, a limit and a cursor THEN one parameter per term, encoded, and the page as answered', async () => {
    const asked: string[] = [];
    const page = { pipelines: [], observedAt: null, total: 0, nextCursor: null };
    const client = createClient({
      baseUrl: 'http://gantry.test',
      fetch: (async (url: string) => {
        asked.push(url);
        return new Response(JSON.stringify(page), { status: 200, headers: { 'content-type': 'application/json' } });
      }) as typeof fetch,
    });
    const answer = await client.pipelinePage({
      q: 'pay ments',
      label: ['team=web', 'tier'],
      state: 'production:behind',
      sort: 'state',
      limit: 50,
      cursor: 'abc',
    });
    expect(answer).toEqual(page);
    expect(asked).toEqual([
      'http://gantry.test/api/v1/pipelines?q=pay%20ments&label=team%3Dweb&label=tier&state=production%3Abehind&sort=state&limit=50&cursor=abc',
    ]);
    await client.pipelinePage({});
    expect(asked[1]).toBe('http://gantry.test/api/v1/pipelines');
  });
});
