import type { ReactNode } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from './api-context.js';
import { useConnectionStore } from './connection.js';
import type { LiveEvents, LiveSignal, LiveStatus } from './events-context.js';
import { EventsContext } from './events-context.js';

const MAX_BACKOFF_MS = 10_000;

/**
 * One event-stream connection for the whole page, reconnecting with backoff; after a
 * reconnect, listeners are told so they refetch what they show.
 */
export function EventsProvider(props: { children: ReactNode }) {
  const { client } = useApi();
  const connection = useConnectionStore();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const listeners = useRef(new Set<(s: LiveSignal) => void>());

  useEffect(() => {
    const abort = new AbortController();
    const emit = (s: LiveSignal) => {
      connection.current();
      for (const l of listeners.current) l(s);
    };
    void (async () => {
      let backoff = 500;
      let connectedBefore = false;
      while (!abort.signal.aborted) {
        setStatus('connecting');
        let opened = false;
        try {
          await client.events(emit, abort.signal, () => {
            opened = true;
            connection.current();
            setStatus('live');
            if (connectedBefore) emit({ type: 'reconnected' });
            connectedBefore = true;
          });
        } catch {
          // reconnect below
        }
        if (abort.signal.aborted) return;
        // what is on screen was current until now; the next attempt tells whether the server answers
        if (opened) connection.streamEnded();
        setStatus('offline');
        if (opened) backoff = 500;
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    })();
    return () => abort.abort();
  }, [client, connection]);

  const value: LiveEvents = useMemo(
    () => ({
      status,
      subscribe(listener) {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
    }),
    [status],
  );
  return <EventsContext.Provider value={value}>{props.children}</EventsContext.Provider>;
}
