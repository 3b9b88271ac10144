/** The dashboard's places; the URL is the state, so links can be shared and reloads keep the view. */
export type Route =
  /** `sort`: present only when not the default (by name). */
  | { readonly kind: 'overview'; readonly filter: string; readonly sort?: string }
  /** Recent promotions, deployments, verifications and holds across every pipeline; `q` narrows by name, `kind` by what happened. */
  | { readonly kind: 'activity'; readonly q: string; readonly what: string }
  | { readonly kind: 'pipeline'; readonly pipeline: string; readonly phase?: string }
  /** Reports of Flux and Argo CD: the unmatched ones, or `all`. */
  | { readonly kind: 'deployer-events'; readonly all: boolean }
  /** Delivery metrics of the fleet, or of one pipeline (or phase), over a period (`/metrics` is Prometheus'). */
  | ({ readonly kind: 'metrics' } & MetricsRouteQuery)
  | { readonly kind: 'not-found'; readonly path: string };

/** The metrics page's query: `since` (7d, 30d...) or `from`/`to`, and the scope. */
export interface MetricsRouteQuery {
  readonly pipeline?: string | undefined;
  readonly phase?: string | undefined;
  readonly since?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

const METRICS_KEYS = ['pipeline', 'phase', 'since', 'from', 'to'] as const;

export function parseRoute(pathname: string, search: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) {
    const params = new URLSearchParams(search);
    const sort = params.get('sort');
    return { kind: 'overview', filter: params.get('q') ?? '', ...(sort ? { sort } : {}) };
  }
  if (parts.length === 1 && parts[0] === 'activity') {
    const params = new URLSearchParams(search);
    return { kind: 'activity', q: params.get('q') ?? '', what: params.get('kind') ?? '' };
  }
  if (parts.length === 1 && parts[0] === 'deployer-events')
    return { kind: 'deployer-events', all: new URLSearchParams(search).get('all') === 'true' };
  if (parts.length === 1 && parts[0] === 'delivery-metrics') {
    const params = new URLSearchParams(search);
    const q: Record<string, string> = {};
    for (const k of METRICS_KEYS) {
      const v = params.get(k);
      if (v) q[k] = v;
    }
    return { kind: 'metrics', ...q };
  }
  if (parts[0] === 'pipelines' && parts[1] !== undefined) {
    if (parts.length === 2) return { kind: 'pipeline', pipeline: parts[1] };
    if (parts.length === 4 && parts[2] === 'phases' && parts[3] !== undefined)
      return { kind: 'pipeline', pipeline: parts[1], phase: parts[3] };
  }
  return { kind: 'not-found', path: pathname };
}

export const overviewHref = (filter = '', sort?: string): string => {
  const params = [
    ...(filter ? [`q=${encodeURIComponent(filter)}`] : []),
    ...(sort && sort !== 'name' ? [`sort=${encodeURIComponent(sort)}`] : []),
  ];
  return params.length ? `/?${params.join('&')}` : '/';
};

export const activityHref = (o: { q?: string; what?: string } = {}): string => {
  const params = [
    ...(o.q ? [`q=${encodeURIComponent(o.q)}`] : []),
    ...(o.what ? [`kind=${encodeURIComponent(o.what)}`] : []),
  ];
  return params.length ? `/activity?${params.join('&')}` : '/activity';
};

export const pipelineHref = (pipeline: string, phase?: string): string =>
  `/pipelines/${encodeURIComponent(pipeline)}${phase !== undefined ? `/phases/${encodeURIComponent(phase)}` : ''}`;

export const deployerEventsHref = (all = false): string => (all ? '/deployer-events?all=true' : '/deployer-events');

export const metricsHref = (q: MetricsRouteQuery = {}): string => {
  const params = new URLSearchParams();
  for (const k of METRICS_KEYS) {
    const v = q[k];
    if (v) params.set(k, v);
  }
  const text = params.toString();
  return text ? `/delivery-metrics?${text}` : '/delivery-metrics';
};
