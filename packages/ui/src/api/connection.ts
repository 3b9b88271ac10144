import { createContext, useContext, useSyncExternalStore } from 'react';

/** Whether the server answers, and since when the data on screen may be out of date. */
export interface ConnectionState {
  readonly online: boolean;
  /** While offline: until when the data on screen was known current (epoch ms). */
  readonly dataFrom: number | undefined;
}

/**
 * What the page has heard from the server. Any response means it answers; a request that gets
 * no answer at all (connection refused, network down) means it does not, until the next response.
 * While the event stream is open the data on screen is current, so when it ends that moment is
 * how old the data gets.
 */
export interface ConnectionStore {
  state(): ConnectionState;
  subscribe(listener: () => void): () => void;
  /** A response arrived (any status: the server answers). */
  answered(): void;
  /** A request got no answer. */
  unreachable(): void;
  /** The event stream opened or delivered an event: what is on screen is current now. */
  current(): void;
  /** The event stream ended: what is on screen was current until now. */
  streamEnded(): void;
  /** Wraps fetch so that every request the client makes tells this store what it learned. */
  wrapFetch(f: typeof fetch): typeof fetch;
}

export function createConnectionStore(now: () => number = Date.now): ConnectionStore {
  let state: ConnectionState = { online: true, dataFrom: undefined };
  let lastCurrent: number | undefined;
  const listeners = new Set<() => void>();
  const set = (next: ConnectionState) => {
    if (next.online === state.online && next.dataFrom === state.dataFrom) return;
    state = next;
    for (const l of listeners) l();
  };
  const store: ConnectionStore = {
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    answered() {
      lastCurrent = now();
      set({ online: true, dataFrom: undefined });
    },
    unreachable() {
      if (state.online) set({ online: false, dataFrom: lastCurrent ?? now() });
    },
    current() {
      lastCurrent = now();
      if (!state.online) set({ online: true, dataFrom: undefined });
    },
    streamEnded() {
      if (state.online) lastCurrent = now();
    },
    wrapFetch(f) {
      return async (input, init) => {
        try {
          const res = await f(input, init);
          store.answered();
          return res;
        } catch (e) {
          // a request the page gave up on says nothing about the server
          if (!init?.signal?.aborted) store.unreachable();
          throw e;
        }
      };
    },
  };
  return store;
}

const ALWAYS_ONLINE: ConnectionStore = createConnectionStore();

export const ConnectionContext = createContext<ConnectionStore>(ALWAYS_ONLINE);

export function useConnectionStore(): ConnectionStore {
  return useContext(ConnectionContext);
}

export function useConnection(): ConnectionState {
  const store = useConnectionStore();
  return useSyncExternalStore(store.subscribe, store.state, store.state);
}

/** Why actions are disabled while the server does not answer; undefined while it does. */
export const OFFLINE_REASON = 'The server does not answer: actions are disabled until the connection is back';

export function useOfflineReason(): string | undefined {
  return useConnection().online ? undefined : OFFLINE_REASON;
}
