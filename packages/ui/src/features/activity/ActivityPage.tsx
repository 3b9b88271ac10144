import type { ApiPromotion } from '@gantry/api';
import { useMemo, useState } from 'react';
import { Link } from '../../app/Link.js';
import { navigate } from '../../app/navigation.js';
import { activityHref } from '../../app/routes.js';
import { useApi } from '../../api/api-context.js';
import { describeError } from '../../api/describe-error.js';
import { useLiveEvents } from '../../api/events-context.js';
import { useHolds } from '../../api/holds-context.js';
import { upsertPromotion } from '../../api/live-updates.js';
import { useResource } from '../../api/use-resource.js';
import { Empty } from '../../shared/Empty.js';
import { ErrorNotice } from '../../shared/ErrorNotice.js';
import { Loading } from '../../shared/Loading.js';
import type { ArtifactChange, HoldChange } from './activity.js';
import { ACTIVITY_KIND_LABELS, ACTIVITY_KINDS, activityItems, filterActivity, parseActivityKind } from './activity.js';
import { ActivityEntry } from './ActivityEntry.js';

const PAGE = 100;

/**
 * What happened lately across every pipeline: promotions, what deployers reported, verifications,
 * pins and pauses, and (while the page is open) what CI reported it built; newest first, live from the event stream, narrowed by name and kind (in the
 * address, so a view can be shared). Older promotions load a page at a time.
 */
export default function ActivityPage(props: { q: string; what: string }) {
  const { client } = useApi();
  const holds = useHolds().items;
  const history = useResource(() => client.allHistory({ limit: PAGE }), 'activity');
  const [older, setOlder] = useState<{ items: readonly ApiPromotion[]; cursor: string | undefined; error?: string }>();
  const [holdChanges, setHoldChanges] = useState<readonly HoldChange[]>([]);
  const [artifactChanges, setArtifactChanges] = useState<readonly ArtifactChange[]>([]);
  const [loadingOlder, setLoadingOlder] = useState(false);

  useLiveEvents((s) => {
    if (s.type === 'promotion') history.update((h) => ({ ...h, items: [...upsertPromotion(h.items, s.promotion)] }));
    else if (s.type === 'hold') setHoldChanges((list) => [...list, { hold: s.hold, change: s.change }]);
    else if (s.type === 'artifact')
      // the newest 500 while the page is open: a CI burst must not grow it without end
      setArtifactChanges((list) => [...list, { artifact: s.artifact, outcome: s.outcome }].slice(-500));
    else if (s.type === 'reconnected') history.reload();
  });

  const first = history.resource.status === 'ok' ? history.resource.data : undefined;
  const cursor = older ? older.cursor : first?.nextCursor;
  const items = useMemo(() => {
    const promotions = [...(first?.items ?? []), ...(older?.items ?? [])];
    return activityItems(promotions, holds, holdChanges, artifactChanges);
  }, [first, older, holds, holdChanges, artifactChanges]);
  const kind = parseActivityKind(props.what);
  const shown = useMemo(() => filterActivity(items, props.q, kind), [items, props.q, kind]);

  const loadOlder = async () => {
    if (!cursor) return;
    setLoadingOlder(true);
    try {
      const page = await client.allHistory({ limit: PAGE, cursor });
      setOlder((o) => ({ items: [...(o?.items ?? []), ...page.items], cursor: page.nextCursor }));
    } catch (e) {
      const v = describeError(e);
      setOlder((o) => ({ items: o?.items ?? [], cursor, error: `${v.title}: ${v.detail}` }));
    } finally {
      setLoadingOlder(false);
    }
  };

  const setQuery = (o: { q?: string; what?: string }) =>
    navigate(activityHref({ q: o.q ?? props.q, what: o.what ?? kind }), { replace: true });

  return (
    <main className="page activity">
      <div className="crumbs">
        <Link href="/">Overview</Link> / <h1>Activity</h1>
      </div>
      <search className="filter-line activity-filter">
        <label htmlFor="activity-q" className="visually-hidden">
          Filter by pipeline or phase
        </label>
        <input
          id="activity-q"
          type="search"
          value={props.q}
          placeholder="Filter: pipeline or phase name"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setQuery({ q: e.target.value })}
        />
        <label className="sort">
          <span>Show</span>
          <select value={kind} onChange={(e) => setQuery({ what: e.target.value })}>
            <option value="">everything</option>
            {ACTIVITY_KINDS.map((k) => (
              <option key={k} value={k}>
                {ACTIVITY_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
      </search>
      {history.resource.status === 'loading' && <Loading what="Loading activity" />}
      {history.resource.status === 'error' && <ErrorNotice error={history.resource.error} retry={history.reload} />}
      {history.resource.status === 'ok' &&
        (shown.length === 0 ? (
          <Empty title={items.length === 0 ? 'Nothing has happened yet' : 'Nothing matches'}>
            {items.length === 0
              ? 'Promotions, deployer reports, verifications, pins and pauses appear here as they happen.'
              : 'Clear the filter to see everything.'}
          </Empty>
        ) : (
          <ol className="activity-list" aria-label="Recent activity, newest first">
            {shown.map((i) => (
              <ActivityEntry key={i.key} item={i} />
            ))}
          </ol>
        ))}
      {cursor && history.resource.status === 'ok' && (
        <p className="activity-more">
          <button type="button" onClick={() => void loadOlder()} disabled={loadingOlder}>
            {loadingOlder ? 'Loading…' : 'Show older promotions'}
          </button>
          {older?.error && (
            <span role="alert" className="form-error">
              {' '}
              {older.error}
            </span>
          )}
        </p>
      )}
    </main>
  );
}
