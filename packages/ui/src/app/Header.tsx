import { useApi } from '../api/api-context.js';
import { useLiveStatus } from '../api/events-context.js';
import { Link } from './Link.js';
import { activityHref, deployerEventsHref, metricsHref } from './routes.js';

const LIVE_TEXT = { live: 'live', connecting: 'connecting…', offline: 'reconnecting…' } as const;

/** The bar on every page: home, the live connection's state, and who is signed in. */
export function Header() {
  const api = useApi();
  const live = useLiveStatus();
  return (
    <header className="top">
      <Link href="/" className="brand">
        Gantry
      </Link>
      <span className={`live live-${live}`} title="Updates from the server's event stream">
        <span className="dot" aria-hidden="true" /> {LIVE_TEXT[live]}
      </span>
      <span className="spacer" />
      <Link
        href={activityHref()}
        title="Recent promotions, deployments, verifications, pins and pauses across all pipelines"
      >
        Activity
      </Link>
      <Link href={metricsHref()} title="Deployment frequency, lead time, change failure rate, time to restore">
        Delivery metrics
      </Link>
      <Link href={deployerEventsHref()} title="Reports of Flux and Argo CD that no phase's deployer names">
        Deployer reports
      </Link>
      {api.me && (
        <span className="who" title={api.me.open ? 'No API token exists on this server: everyone is admin' : ''}>
          {api.me.open ? 'open server (admin)' : `${api.me.name} · ${api.me.role}`}
        </span>
      )}
      {api.token && (
        <button type="button" className="link" onClick={api.signOut}>
          Sign out
        </button>
      )}
    </header>
  );
}
