import { ApiProblemError } from '@gantry/client';
import type { Dispatch, SetStateAction } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from './api-context.js';

export type Resource<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: unknown }
  | { readonly status: 'ok'; readonly data: T };

/**
 * Loads something from the API whenever `key` changes; `reload` fetches again without
 * blanking the page (live views refresh in place), `update` folds live events into the data.
 */
export function useResource<T>(
  load: () => Promise<T>,
  key: string,
): { resource: Resource<T>; reload: () => void; update: Dispatch<SetStateAction<T>> } {
  const api = useApi();
  const [resource, setResource] = useState<Resource<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadedKey = useRef<string | undefined>(undefined);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let live = true;
    void generation;
    const refresh = loadedKey.current === key;
    loadedKey.current = key;
    if (!refresh) setResource({ status: 'loading' });
    loadRef.current().then(
      (data) => live && setResource({ status: 'ok', data }),
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ApiProblemError && error.status === 401) api.unauthorized();
        // a failed background refresh keeps what is on screen
        setResource((r) => (refresh && r.status === 'ok' ? r : { status: 'error', error }));
      },
    );
    return () => {
      live = false;
    };
  }, [key, generation, api]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const update: Dispatch<SetStateAction<T>> = useCallback((action) => {
    setResource((r) =>
      r.status === 'ok'
        ? { status: 'ok', data: typeof action === 'function' ? (action as (p: T) => T)(r.data) : action }
        : r,
    );
  }, []);
  return { resource, reload, update };
}
