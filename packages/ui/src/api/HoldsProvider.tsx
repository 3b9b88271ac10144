import type { ApiHold } from '@gantry/api';
import type { ReactNode } from 'react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { applyHoldEvent } from '../features/holds/hold-events.js';
import { useApi } from './api-context.js';
import { useLiveEvents } from './events-context.js';
import type { Holds } from './holds-context.js';
import { HoldsContext } from './holds-context.js';

/** Several promotion events in a burst (a release fans out) make one read. */
const COALESCE_MS = 300;

/**
 * Reads the pins and pauses in force once for every page and keeps them current from `hold`
 * events; reads again after a reconnect, after a person's promotion (a rollback pins a phase,
 * promoting the upstream's version releases the pin; on another replica only the promotion's
 * event reaches this stream), and when a view changed one. Holds are an addition to the page: a
 * failed read keeps what was shown and never stops the page.
 */
export function HoldsProvider(props: { children: ReactNode }) {
  const { client } = useApi();
  const [items, setItems] = useState<readonly ApiHold[]>([]);
  const [generation, setGeneration] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let live = true;
    void generation;
    client.holds().then(
      (list) => live && setItems(list.items),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, generation]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const refresh = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setGeneration((g) => g + 1), COALESCE_MS);
  }, []);
  useLiveEvents((s) => {
    // a pin or pause set or released: folded in at once, no read
    if (s.type === 'hold') setItems((list) => applyHoldEvent(list, s));
    // events are lost while disconnected; a person's promotion on another replica may pin or unpin
    // (hold events reach only the replica's own stream, promotion events every replica's)
    else if (s.type === 'reconnected' || (s.type === 'promotion' && s.promotion.trigger.kind === 'person')) refresh();
  });

  const value: Holds = useMemo(() => ({ items, refresh }), [items, refresh]);
  return <HoldsContext.Provider value={value}>{props.children}</HoldsContext.Provider>;
}
