import type { ApiMe } from '@gantry/client';
import type { ApiDeliveryMetrics, ApiPipelineList, ApiPipelinePage } from '@gantry/api';

/** How many rows the overview asks for first (index.html asks the same): more than a tall screen shows. */
export const FIRST_ROWS = 60;

interface Early {
  readonly token: string;
  readonly me?: Promise<Response>;
  readonly pipelines?: Promise<Response>;
  /** The overview's first rows in one sort order (`name`, `state` or `change`). */
  readonly firstRows?: { readonly sort: string; readonly response: Promise<Response> };
  /** The metrics page's figures, for its API query (`metricsApiQuery`). */
  readonly metrics?: { readonly query: string; readonly response: Promise<Response> };
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
function take<T>(
  key: 'me' | 'pipelines' | 'firstRows' | 'metrics',
  token: string | undefined,
  parseAfter?: Promise<unknown>,
): Promise<T | undefined> | undefined {
  const early = typeof window === 'undefined' ? undefined : window.__gantryEarly;
  const asked = early?.[key];
  const pending = asked && 'response' in asked ? asked.response : asked;
  if (!early || !pending) return undefined;
  window.__gantryEarly = { ...early, [key]: undefined };
  if (early.token !== (token ?? '')) return undefined;
  return pending.then(
    async (r) => {
      await parseAfter;
      return r.ok ? ((await r.json()) as T) : undefined;
    },
    () => undefined,
  );
}

export const takeEarlyMe = (token: string | undefined) => take<ApiMe>('me', token);
/**
 * `parseAfter`: parsing waits for it. The whole list of 10,000 pipelines takes the main thread
 * for a few hundred ms to parse; the overview lets its first rows paint before that.
 */
export const takeEarlyPipelines = (token: string | undefined, parseAfter?: Promise<unknown>) =>
  take<ApiPipelineList>('pipelines', token, parseAfter);

/** The first rows index.html asked for, if they were asked in this sort order. */
export function takeEarlyFirstRows(
  token: string | undefined,
  sort: string,
): Promise<ApiPipelinePage | undefined> | undefined {
  const early = typeof window === 'undefined' ? undefined : window.__gantryEarly;
  if (early?.firstRows?.sort !== sort) return undefined;
  return take<ApiPipelinePage>('firstRows', token);
}

/** The delivery metrics index.html asked for, if it asked the same query (`metricsApiQuery`). */
export function takeEarlyMetrics(
  token: string | undefined,
  query: string,
): Promise<ApiDeliveryMetrics | undefined> | undefined {
  const early = typeof window === 'undefined' ? undefined : window.__gantryEarly;
  if (early?.metrics?.query !== query) return undefined;
  return take<ApiDeliveryMetrics>('metrics', token);
}
