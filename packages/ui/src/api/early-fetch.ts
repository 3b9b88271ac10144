import type { ApiMe } from '@gantry/client';
import type { ApiPipelineList } from '@gantry/api';

interface Early {
  readonly token: string;
  readonly me?: Promise<Response>;
  readonly pipelines?: Promise<Response>;
}

declare global {
  interface Window {
    /** Requests index.html starts before the app's code has loaded. */
    __gantryEarly?: Early;
  }
}

/**
 * The answer to a request index.html made early, if it was made with the same token and
 * succeeded; each is used once. Anything else (an error, another token) returns undefined and
 * the caller asks the API itself, so errors are reported the usual way.
 */
function take<T>(key: 'me' | 'pipelines', token: string | undefined): Promise<T | undefined> | undefined {
  const early = typeof window === 'undefined' ? undefined : window.__gantryEarly;
  const pending = early?.[key];
  if (!early || !pending) return undefined;
  window.__gantryEarly = { ...early, [key]: undefined };
  if (early.token !== (token ?? '')) return undefined;
  return pending.then(
    (r) => (r.ok ? (r.json() as Promise<T>) : undefined),
    () => undefined,
  );
}

export const takeEarlyMe = (token: string | undefined) => take<ApiMe>('me', token);
export const takeEarlyPipelines = (token: string | undefined) => take<ApiPipelineList>('pipelines', token);
