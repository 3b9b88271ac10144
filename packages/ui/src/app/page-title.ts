import type { Route } from './routes.js';

const APP = 'Gantry';

/** The browser tab's title for a place: most specific first, `app · production — Gantry`. */
export function pageTitle(route: Route): string {
  const title = (...parts: (string | undefined)[]) => `${parts.filter(Boolean).join(' · ')} — ${APP}`;
  switch (route.kind) {
    case 'overview':
      return title(route.filter ? `Pipelines (${route.filter})` : 'Pipelines');
    case 'pipeline':
      return title(route.pipeline, route.phase);
    case 'activity':
      return title('Activity');
    case 'deployer-events':
      return title('Deployer reports');
    case 'metrics':
      return title('Delivery metrics', route.pipeline, route.phase);
    case 'not-found':
      return title('Not found');
  }
}

/** What takes focus when the place changes: the phase panel's heading when a phase opens, else the page's. */
export function headingSelector(route: Route): string {
  return route.kind === 'pipeline' && route.phase !== undefined ? '.phase-panel h2' : 'main h1';
}
