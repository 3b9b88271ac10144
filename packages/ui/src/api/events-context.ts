import type { ApiEvent } from '@gantry/api';
import { createContext, useContext, useEffect, useRef } from 'react';

/** What the live connection tells its listeners: an event, or that it reconnected (refetch: events may be lost). */
export type LiveSignal = ApiEvent | { readonly type: 'reconnected' };

export type LiveStatus = 'connecting' | 'live' | 'offline';

export interface LiveEvents {
  readonly status: LiveStatus;
  subscribe(listener: (signal: LiveSignal) => void): () => void;
}

export const EventsContext = createContext<LiveEvents | undefined>(undefined);

export function useLiveStatus(): LiveStatus {
  return useContext(EventsContext)?.status ?? 'offline';
}

/** Calls `listener` (its latest version) for every live event while the component is mounted. */
export function useLiveEvents(listener: (signal: LiveSignal) => void): void {
  const events = useContext(EventsContext);
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => events?.subscribe((s) => ref.current(s)), [events]);
}
