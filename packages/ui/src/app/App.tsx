import { lazy, Suspense, useEffect, useState } from 'react';
import { ApiProvider } from '../api/ApiProvider.js';
import { ConnectionContext, createConnectionStore } from '../api/connection.js';
import { EventsProvider } from '../api/EventsProvider.js';
import { HoldsProvider } from '../api/HoldsProvider.js';
import { Empty } from '../shared/Empty.js';
import { Loading } from '../shared/Loading.js';
import { Overview } from '../features/overview/Overview.js';
import { ActionsGuard } from './ActionsGuard.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { useFocusHeadingOnNavigate } from './focus-heading.js';
import { Header } from './Header.js';
import { Link } from './Link.js';
import { useLocation } from './navigation.js';
import { headingSelector, pageTitle } from './page-title.js';
import { parseRoute } from './routes.js';

// the graph library loads only when a pipeline is opened: the overview stays small
const PipelineView = lazy(() => import('../features/pipeline/PipelineView.js'));
const DeployerEventsPage = lazy(() => import('../features/deployer-events/DeployerEventsPage.js'));
// the chart library comes with the metrics page only
const MetricsPage = lazy(() => import('../features/metrics/MetricsPage.js'));
const ActivityPage = lazy(() => import('../features/activity/ActivityPage.js'));

function Page() {
  const { pathname, search } = useLocation();
  const route = parseRoute(pathname, search);
  usePlace();
  switch (route.kind) {
    case 'overview':
      return <Overview filter={route.filter} sort={route.sort} />;
    case 'pipeline':
      return (
        <Suspense fallback={<Loading what={`Opening ${route.pipeline}`} />}>
          <ActionsGuard>
            <PipelineView pipeline={route.pipeline} phase={route.phase} />
          </ActionsGuard>
        </Suspense>
      );
    case 'deployer-events':
      return (
        <Suspense fallback={<Loading what="Opening deployer reports" />}>
          <DeployerEventsPage key={String(route.all)} all={route.all} />
        </Suspense>
      );
    case 'metrics': {
      const { kind: _, ...query } = route;
      return (
        <Suspense fallback={<Loading what="Opening delivery metrics" />}>
          <MetricsPage key={JSON.stringify(query)} query={query} />
        </Suspense>
      );
    }
    case 'activity':
      return (
        <Suspense fallback={<Loading what="Opening activity" />}>
          <ActivityPage q={route.q} what={route.what} />
        </Suspense>
      );
    case 'not-found':
      return (
        <main className="page">
          <h1>Not found</h1>
          <Empty title={`Nothing at ${route.path}`}>
            <Link href="/">Go to the overview</Link>
          </Empty>
        </main>
      );
  }
}

/** Each place has its own tab title, and on navigation focus moves to the new page's heading. */
function usePlace(): void {
  const { pathname, search } = useLocation();
  const route = parseRoute(pathname, search);
  const title = pageTitle(route);
  useEffect(() => {
    document.title = title;
  }, [title]);
  useFocusHeadingOnNavigate(pathname, headingSelector(route));
}

export function App() {
  // one per page: whether the server answers, told by every request and the event stream
  const [connection] = useState(() => createConnectionStore());
  return (
    <ConnectionContext.Provider value={connection}>
      <ApiProvider>
        <EventsProvider>
          <HoldsProvider>
            <div className="shell">
              <Header />
              <ConnectionBanner />
              <Page />
            </div>
          </HoldsProvider>
        </EventsProvider>
      </ApiProvider>
    </ConnectionContext.Provider>
  );
}
