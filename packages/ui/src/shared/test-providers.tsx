import type { ApiMe, GantryClient } from '@gantry/client';
import type { ReactNode } from 'react';
import type { Api } from '../api/api-context.js';
import { ApiContext } from '../api/api-context.js';
import type { LiveSignal } from '../api/events-context.js';
import { EventsContext } from '../api/events-context.js';
import { HoldsProvider } from '../api/HoldsProvider.js';
import { chain, fixtureDigest } from './fixtures.js';

/**
 * What the app reads in passing on every page a test may open (the phase panel's chain), so a
 * test fakes only what it is about; a test's own fake of any of these wins.
 */
const readsInPassing: Partial<GantryClient> = {
  chain: async (pipeline, phase, options = {}) => chain(pipeline, phase, options.digest ?? fixtureDigest),
  // the overview's first rows: none, so a test sees the whole list it fakes (a test of the first rows fakes them)
  pipelinePage: async () => {
    throw new Error('no first rows in this test');
  },
};

/**
 * Component tests only: the API and event stream, faked; `emit` plays a live event. `holds`:
 * pins and pauses are read (client.holds) as the app does. Methods in `readsInPassing` answer
 * plausible data unless the test fakes them; any other method a test did not fake is missing.
 */
export function testProviders(o: { client: Partial<GantryClient>; me?: ApiMe; holds?: boolean }) {
  const listeners = new Set<(s: LiveSignal) => void>();
  const api: Api = {
    client: { ...readsInPassing, ...o.client } as GantryClient,
    me: o.me,
    token: undefined,
    signIn: async () => undefined,
    signOut: () => undefined,
    unauthorized: () => undefined,
  };
  const events = {
    status: 'live' as const,
    subscribe(l: (s: LiveSignal) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    wrapper: (props: { children: ReactNode }) => (
      <ApiContext.Provider value={api}>
        <EventsContext.Provider value={events}>
          {o.holds ? <HoldsProvider>{props.children}</HoldsProvider> : props.children}
        </EventsContext.Provider>
      </ApiContext.Provider>
    ),
    emit(s: LiveSignal) {
      for (const l of listeners) l(s);
    },
  };
}
