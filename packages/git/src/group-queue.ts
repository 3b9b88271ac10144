/** Outcome of one request inside a flushed group: each request succeeds or fails on its own. */
export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** Writes a whole group at once; returns one outcome per request, in order. */
export type FlushGroup<Req, Res> = (group: readonly Req[]) => Promise<ReadonlyArray<Settled<Res>>>;

export interface GroupQueue<Req, Res> {
  submit(request: Req): Promise<Res>;
  /** Requests waiting for the next flush (not counting the one in flight). */
  readonly waiting: number;
}

interface Entry<Req, Res> {
  readonly request: Req;
  readonly resolve: (r: Res) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Group commit, as databases do it: one flush at a time; requests that arrive while a
 * flush is in flight wait and go out together in the next one. A request alone goes
 * out at once (after the current turn of the event loop), so an idle queue adds no latency.
 */
export function createGroupQueue<Req, Res>(flush: FlushGroup<Req, Res>, maxGroup = 500): GroupQueue<Req, Res> {
  let pending: Entry<Req, Res>[] = [];
  let busy = false;

  const run = async (): Promise<void> => {
    while (pending.length > 0) {
      const group = pending.slice(0, maxGroup);
      pending = pending.slice(group.length);
      try {
        const results = await flush(group.map((e) => e.request));
        group.forEach((e, i) => {
          const r = results[i];
          if (!r) e.reject(new Error('group flush returned no result for a request'));
          else if (r.ok) e.resolve(r.value);
          else e.reject(r.error);
        });
      } catch (error) {
        for (const e of group) e.reject(error);
      }
    }
    busy = false;
  };

  return {
    submit(request) {
      return new Promise<Res>((resolve, reject) => {
        pending.push({ request, resolve, reject });
        if (busy) return;
        busy = true;
        // requests submitted in the same turn of the event loop share the first flush
        setImmediate(() => void run());
      });
    },
    get waiting() {
      return pending.length;
    },
  };
}
