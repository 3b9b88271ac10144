import type { CSSProperties } from 'react';
import { useMemo } from 'react';
import { navigate } from '../../app/navigation.js';
import { overviewHref } from '../../app/routes.js';
import { useApi } from '../../api/api-context.js';
import { takeEarlyPipelines } from '../../api/early-fetch.js';
import { useLiveEvents } from '../../api/events-context.js';
import { applyPhaseStatus } from '../../api/live-updates.js';
import { useResource } from '../../api/use-resource.js';
import { Empty } from '../../shared/Empty.js';
import { ErrorNotice } from '../../shared/ErrorNotice.js';
import { Loading } from '../../shared/Loading.js';
import { FilterBar } from './FilterBar.js';
import { filterPipelines, phaseColumns } from './filter.js';
import { VirtualRows } from './VirtualRows.js';

/** What runs where: every pipeline a row, its phases as columns, filtered in memory. */
export function Overview(props: { filter: string }) {
  const { client, token } = useApi();
  const { resource, reload, update } = useResource(
    async () => (await takeEarlyPipelines(token)) ?? client.listPipelines(),
    'pipelines',
  );
  useLiveEvents((s) => {
    if (s.type === 'phase') update((list) => ({ ...list, pipelines: [...applyPhaseStatus(list.pipelines, s.status)] }));
    else if (s.type === 'reconnected') reload();
  });
  const all = resource.status === 'ok' ? resource.data.pipelines : undefined;
  const shown = useMemo(() => (all ? filterPipelines(all, props.filter) : []), [all, props.filter]);
  const columns = useMemo(() => (all ? phaseColumns(all) : []), [all]);
  const setFilter = (v: string) => navigate(overviewHref(v), { replace: true });

  if (resource.status === 'loading') return <Loading what="Loading pipelines" />;
  if (resource.status === 'error')
    return (
      <main className="page">
        <ErrorNotice error={resource.error} retry={reload} />
      </main>
    );
  if (resource.data.pipelines.length === 0)
    return (
      <main className="page">
        <Empty title="No pipelines yet">
          Define pipelines in <code>gantry.yaml</code> or <code>gantry.config.ts</code> and restart{' '}
          <code>gantry serve</code>; <code>gantry sandbox init</code> makes an example.
        </Empty>
      </main>
    );
  const behind = all?.filter((p) => p.phases.some((ph) => ph.state === 'behind')).length ?? 0;
  return (
    <main className="page overview">
      <FilterBar value={props.filter} onChange={setFilter} shown={shown.length} total={all?.length ?? 0} />
      <div className="summary">
        {behind > 0 ? (
          <button type="button" className="link" onClick={() => setFilter('is:behind')}>
            {behind} behind upstream
          </button>
        ) : (
          'everything in sync'
        )}
      </div>
      <div className="table" style={{ '--columns': columns.length } as CSSProperties}>
        <div className="thead row">
          <div className="cell name">pipeline</div>
          {columns.map((c) => (
            <div key={c} className="cell">
              {c}
            </div>
          ))}
        </div>
        {shown.length === 0 ? (
          <Empty title={`No pipeline matches “${props.filter}”`}>
            <button type="button" className="link" onClick={() => setFilter('')}>
              Clear the filter
            </button>
          </Empty>
        ) : (
          <VirtualRows pipelines={shown} columns={columns} />
        )}
      </div>
    </main>
  );
}
