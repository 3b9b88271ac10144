import type { MetricsRouteQuery } from '../../app/routes.js';

/** The period a page without `from` or `since` shows. */
export const DEFAULT_SPAN = '30d';

/** The API query of the metrics page's query, keys in this order (index.html's early request builds the same). */
const API_KEYS = ['from', 'to', 'since', 'pipeline', 'phase'] as const;

/**
 * What the metrics page asks `GET /api/v1/metrics` for its query: the page's own parameters, with
 * `since` the default span when neither `from` nor `since` is given. As a query string in a fixed
 * order, so that the request index.html starts before the app has loaded (same rule, written
 * again there in plain JavaScript) is recognised as this one.
 */
export function metricsApiQuery(q: MetricsRouteQuery): string {
  const since = q.from === undefined && q.since === undefined ? DEFAULT_SPAN : q.since;
  const values: Partial<Record<(typeof API_KEYS)[number], string | undefined>> = { ...q, since };
  const params = new URLSearchParams();
  for (const k of API_KEYS) {
    const v = values[k];
    if (v) params.set(k, v);
  }
  return params.toString();
}
