import { describe, expect, it } from 'vitest';
import { createConnectionStore } from './connection.js';

describe('connection', () => {
  it('GIVEN an open stream that ends and a request that gets no answer THEN offline, with data from when the stream ended; WHEN a response arrives THEN online', async () => {
    let now = 1_000;
    const store = createConnectionStore(() => now);
    const seen: boolean[] = [];
    store.subscribe(() => seen.push(store.state().online));
    store.current();
    now = 5_000;
    store.streamEnded();
    now = 5_500;
    const down = store.wrapFetch(async () => {
      throw new TypeError('fetch failed');
    });
    await expect(down('/api/v1/events')).rejects.toThrow('fetch failed');
    expect(store.state()).toEqual({ online: false, dataFrom: 5_000 });
    now = 9_000;
    const up = store.wrapFetch(async () => new Response('{}', { status: 503 }));
    await up('/api/v1/pipelines');
    expect(store.state()).toEqual({ online: true, dataFrom: undefined });
    expect(seen).toEqual([false, true]);
  });

  it('GIVEN a request the page aborted THEN still online', async () => {
    const store = createConnectionStore();
    const abort = new AbortController();
    abort.abort();
    const f = store.wrapFetch(async () => {
      throw new DOMException('aborted', 'AbortError');
    });
    await expect(f('/x', { signal: abort.signal })).rejects.toThrow();
    expect(store.state().online).toBe(true);
  });
});
