import { ApiProblemError, ApiUnreachableError } from '@gantry/client';
import type { Dispatch, SetStateAction } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from './api-context.js';

export type Resource<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: unknown }
  | { readonly status: 'ok'; readonly data: T };

/**
 * The last data each key loaded, per client (a sign-out or another token starts afresh): a page
 * opened again shows it at once while it loads anew, and one opened while the server does not
 * answer shows it, marked stale by the connection banner, instead of an error.
 */
const lastLoaded = new WeakMap<object, Map<string, unknown>>();
const MAX_KEPT = 50;

function remember(client: object, key: string, data: unknown): void {
  let kept = lastLoaded.get(client);
  if (!kept) {
    kept = new Map();
    lastLoaded.set(client, kept);
  }
  kept.delete(key);
  kept.set(key, data);
  // the oldest go first: a long session visiting many pipelines keeps the recent ones
  if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value as string);
}

function recall<T>(client: object, key: string): Resource<T> {
  const kept = lastLoaded.get(client);
  return kept?.has(key) ? { status: 'ok', data: kept.get(key) as T } : { status: 'loading' };
}

/**
 * Loads something from the API whenever `key` changes; `reload` fetches again without
 * blanking the page (live views refresh in place), `update` folds live events into the data.
 * What a key loaded last is shown at once while it loads again (see `lastLoaded`).
 */
export function useResource<T>(
  load: () => Promise<T>,
  key: string,
): { resource: Resource<T>; reload: () => void; update: Dispatch<SetStateAction<T>> } {
  const api = useApi();
  const client = api.client;
  const [resource, setResource] = useState<Resource<T>>(() => recall<T>(client, key));
  const [generation, setGeneration] = useState(0);
  const loadedKey = useRef<string | undefined>(undefined);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let live = true;
    void generation;
    const refresh = loadedKey.current === key;
    loadedKey.current = key;
    const kept = recall<T>(client, key);
    if (!refresh) setResource(kept);
    loadRef.current().then(
      (data) => {
        if (!live) return;
        remember(client, key, data);
        setResource({ status: 'ok', data });
      },
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ApiProblemError && error.status === 401) api.unauthorized();
        // a failed background refresh keeps what is on screen; so does a page shown from what it loaded
        // last while the server is away (a 404 or 403 now is an answer, and is shown)
        const away = error instanceof ApiUnreachableError || (error instanceof ApiProblemError && error.status >= 500);
        setResource((r) =>
          (refresh || (kept.status === 'ok' && away)) && r.status === 'ok' ? r : { status: 'error', error },
        );
      },
    );
    return () => {
      live = false;
    };
  }, [key, generation, api, client]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const keyRef = useRef(key);
  keyRef.current = key;
  const update: Dispatch<SetStateAction<T>> = useCallback(
    (action) => {
      setResource((r) => {
        if (r.status !== 'ok') return r;
        const data = typeof action === 'function' ? (action as (p: T) => T)(r.data) : action;
        // live updates are part of what was last seen
        remember(client, keyRef.current, data);
        return { status: 'ok', data };
      });
    },
    [client],
  );
  return { resource, reload, update };
}
