/** The dashboard's places; the URL is the state, so links can be shared and reloads keep the view. */
export type Route =
  | { readonly kind: 'overview'; readonly filter: string }
  | { readonly kind: 'pipeline'; readonly pipeline: string; readonly phase?: string }
  /** Reports of Flux and Argo CD: the unmatched ones, or `all`. */
  | { readonly kind: 'deployer-events'; readonly all: boolean }
  | { readonly kind: 'not-found'; readonly path: string };

export function parseRoute(pathname: string, search: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { kind: 'overview', filter: new URLSearchParams(search).get('q') ?? '' };
  if (parts.length === 1 && parts[0] === 'deployer-events')
    return { kind: 'deployer-events', all: new URLSearchParams(search).get('all') === 'true' };
  if (parts[0] === 'pipelines' && parts[1] !== undefined) {
    if (parts.length === 2) return { kind: 'pipeline', pipeline: parts[1] };
    if (parts.length === 4 && parts[2] === 'phases' && parts[3] !== undefined)
      return { kind: 'pipeline', pipeline: parts[1], phase: parts[3] };
  }
  return { kind: 'not-found', path: pathname };
}

export const overviewHref = (filter = ''): string => (filter ? `/?q=${encodeURIComponent(filter)}` : '/');

export const pipelineHref = (pipeline: string, phase?: string): string =>
  `/pipelines/${encodeURIComponent(pipeline)}${phase !== undefined ? `/phases/${encodeURIComponent(phase)}` : ''}`;

export const deployerEventsHref = (all = false): string => (all ? '/deployer-events?all=true' : '/deployer-events');
