import type { ApiHold } from '@gantry/api';
import type { ReactNode } from 'react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from './api-context.js';
import { useLiveEvents } from './events-context.js';
import type { Holds } from './holds-context.js';
import { HoldsContext } from './holds-context.js';

/** Several promotion events in a burst (a release fans out) make one read. */
const COALESCE_MS = 300;

/**
 * Reads the pins and pauses in force once for every page, and again after a promotion event (a
 * person's rollback pins a phase, promoting the upstream's version releases the pin), after a
 * reconnect, and when a view changed one. Holds are an addition to the page: a failed read keeps
 * what was shown and never stops the page.
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
    if (s.type === 'promotion' || s.type === 'reconnected') refresh();
  });

  const value: Holds = useMemo(() => ({ items, refresh }), [items, refresh]);
  return <HoldsContext.Provider value={value}>{props.children}</HoldsContext.Provider>;
}
