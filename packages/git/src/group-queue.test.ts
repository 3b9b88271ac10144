import { describe, expect, it } from 'vitest';
import type { Settled } from './group-queue.js';
import { createGroupQueue } from './group-queue.js';

/** A fake flush that records each group and waits until released. */
function recorder() {
  const groups: number[][] = [];
  const releases: Array<() => void> = [];
  const flush = (group: readonly number[]): Promise<Settled<string>[]> => {
    groups.push([...group]);
    return new Promise((resolve) =>
      releases.push(() =>
        resolve(
          group.map((n) => (n < 0 ? { ok: false, error: new Error(`bad ${n}`) } : { ok: true, value: `done ${n}` })),
        ),
      ),
    );
  };
  return { groups, releases, flush };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('group commit queue', () => {
  it('GIVEN requests in the same turn WHEN submitted THEN they go out as one group', async () => {
    const r = recorder();
    const q = createGroupQueue(r.flush);
    const all = Promise.all([q.submit(1), q.submit(2), q.submit(3)]);
    await tick();
    r.releases[0]?.();
    expect(await all).toEqual(['done 1', 'done 2', 'done 3']);
    expect(r.groups).toEqual([[1, 2, 3]]);
  });

  it('GIVEN a flush in flight WHEN more requests arrive THEN they wait and go out together next', async () => {
    const r = recorder();
    const q = createGroupQueue(r.flush);
    const first = q.submit(1);
    await tick();
    const later = [q.submit(2), q.submit(3), q.submit(4)];
    await tick();
    expect(r.groups).toEqual([[1]]);
    expect(q.waiting).toBe(3);
    r.releases[0]?.();
    await first;
    await tick();
    r.releases[1]?.();
    expect(await Promise.all(later)).toEqual(['done 2', 'done 3', 'done 4']);
    expect(r.groups).toEqual([[1], [2, 3, 4]]);
  });

  it('GIVEN one request of a group fails WHEN flushed THEN only that one rejects', async () => {
    const r = recorder();
    const q = createGroupQueue(r.flush);
    const results = Promise.allSettled([q.submit(1), q.submit(-2), q.submit(3)]);
    await tick();
    r.releases[0]?.();
    expect((await results).map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('GIVEN the whole flush throws WHEN flushed THEN every request of the group rejects and the queue goes on', async () => {
    let calls = 0;
    const q = createGroupQueue<number, number>(async (group) => {
      calls++;
      if (calls === 1) throw new Error('push failed');
      return group.map((n) => ({ ok: true, value: n }));
    });
    await expect(Promise.all([q.submit(1), q.submit(2)])).rejects.toThrow('push failed');
    expect(await q.submit(3)).toBe(3);
  });

  it('GIVEN a group limit WHEN more are waiting THEN they are split', async () => {
    const groups: number[][] = [];
    const q = createGroupQueue<number, number>(async (group) => {
      groups.push([...group]);
      return group.map((n) => ({ ok: true, value: n }));
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => q.submit(n)));
    expect(groups).toEqual([[1, 2], [3, 4], [5]]);
  });
});
