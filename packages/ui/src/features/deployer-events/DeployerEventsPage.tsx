import type { ApiDeployerEvent } from '@gantry/api';
import { useState } from 'react';
import { Link } from '../../app/Link.js';
import { deployerEventsHref } from '../../app/routes.js';
import { useApi } from '../../api/api-context.js';
import { describeError } from '../../api/describe-error.js';
import { useLiveEvents } from '../../api/events-context.js';
import { useResource } from '../../api/use-resource.js';
import { Empty } from '../../shared/Empty.js';
import { ErrorNotice } from '../../shared/ErrorNotice.js';
import { Loading } from '../../shared/Loading.js';
import { DeployerEventItem } from './DeployerEventItem.js';

/**
 * What Flux and Argo CD reported, newest first; by default only the reports no phase's
 * `deployer:` names, each with the mapping that would match it. Loaded on demand (code-split).
 */
export default function DeployerEventsPage(props: { all: boolean }) {
  const { client } = useApi();
  const unmatched = !props.all;
  const page = useResource(() => client.deployerEvents({ unmatched }), `deployer-events:${unmatched}`);
  const [more, setMore] = useState<{ items: ApiDeployerEvent[]; cursor?: string | undefined; error?: string }>({
    items: [],
  });
  useLiveEvents((s) => s.type === 'reconnected' && page.reload());
  const refresh = () => {
    setMore({ items: [] });
    page.reload();
  };
  const cursor = more.cursor ?? (page.resource.status === 'ok' ? page.resource.data.nextCursor : undefined);
  const loadMore = async () => {
    if (!cursor) return;
    try {
      const next = await client.deployerEvents({ unmatched, cursor });
      // '' once the last page is in: no further page, and no fall back to the first page's cursor
      setMore((m) => ({ items: [...m.items, ...next.items], cursor: next.nextCursor ?? '' }));
    } catch (e) {
      setMore((m) => ({ ...m, error: describeError(e).detail }));
    }
  };
  const items = page.resource.status === 'ok' ? [...page.resource.data.items, ...more.items] : [];
  return (
    <main className="page deployer-events">
      <div className="crumbs">
        <Link href="/">Overview</Link> / <h1>Deployer reports</h1>
        <nav className="toggle" aria-label="Which reports">
          <Link href={deployerEventsHref(false)} aria-current={unmatched ? 'page' : undefined}>
            unmatched
          </Link>
          <Link href={deployerEventsHref(true)} aria-current={unmatched ? undefined : 'page'}>
            all
          </Link>
        </nav>
        <button type="button" className="reread" onClick={refresh}>
          Refresh
        </button>
      </div>
      <p className="hint">
        {unmatched
          ? 'Reports from Flux and Argo CD that no phase names as its deployer: Gantry recorded them and did nothing else. Add the mapping to the phase the object applies, or point the Alert elsewhere.'
          : 'Every report from Flux and Argo CD, and the phases it concerns.'}
      </p>
      {page.resource.status === 'loading' && <Loading what="Loading deployer reports" />}
      {page.resource.status === 'error' && <ErrorNotice error={page.resource.error} retry={page.reload} />}
      {page.resource.status === 'ok' && items.length === 0 && (
        <Empty title={unmatched ? 'No unmatched reports' : 'No reports yet'}>
          {unmatched
            ? 'Every report Gantry received names a phase’s deployer.'
            : 'Point Flux’s notification-controller or Argo CD Notifications at /api/v1/webhooks/flux or /argocd (docs: Deployers).'}
        </Empty>
      )}
      {items.length > 0 && (
        <ol className="history" aria-label="Deployer reports">
          {items.map((e) => (
            <DeployerEventItem key={e.id} event={e} />
          ))}
        </ol>
      )}
      {cursor && (
        <button type="button" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
      {more.error && (
        <p className="form-error" role="alert">
          {more.error}
        </p>
      )}
    </main>
  );
}
