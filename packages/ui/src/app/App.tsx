import { lazy, Suspense } from 'react';
import { ApiProvider } from '../api/ApiProvider.js';
import { EventsProvider } from '../api/EventsProvider.js';
import { HoldsProvider } from '../api/HoldsProvider.js';
import { Empty } from '../shared/Empty.js';
import { Loading } from '../shared/Loading.js';
import { Overview } from '../features/overview/Overview.js';
import { Header } from './Header.js';
import { Link } from './Link.js';
import { useLocation } from './navigation.js';
import { parseRoute } from './routes.js';

// the graph library loads only when a pipeline is opened: the overview stays small
const PipelineView = lazy(() => import('../features/pipeline/PipelineView.js'));
const DeployerEventsPage = lazy(() => import('../features/deployer-events/DeployerEventsPage.js'));
// the chart library comes with the metrics page only
const MetricsPage = lazy(() => import('../features/metrics/MetricsPage.js'));

function Page() {
  const { pathname, search } = useLocation();
  const route = parseRoute(pathname, search);
  switch (route.kind) {
    case 'overview':
      return <Overview filter={route.filter} />;
    case 'pipeline':
      return (
        <Suspense fallback={<Loading what={`Opening ${route.pipeline}`} />}>
          <PipelineView pipeline={route.pipeline} phase={route.phase} />
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
    case 'not-found':
      return (
        <main className="page">
          <Empty title={`Nothing at ${route.path}`}>
            <Link href="/">Go to the overview</Link>
          </Empty>
        </main>
      );
  }
}

export function App() {
  return (
    <ApiProvider>
      <EventsProvider>
        <HoldsProvider>
          <div className="shell">
            <Header />
            <Page />
          </div>
        </HoldsProvider>
      </EventsProvider>
    </ApiProvider>
  );
}
