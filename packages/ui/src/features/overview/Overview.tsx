import { useDeferredValue, useMemo } from 'react';
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
import { NARROW_QUERY, useMediaQuery } from '../../shared/use-media-query.js';
import { computeFacets } from './facets.js';
import { FilterBar } from './FilterBar.js';
import { filterPipelines, phaseColumns } from './filter.js';
import type { PipelineSort } from './sort.js';
import { parseSort, sortPipelines } from './sort.js';
import { VirtualRows } from './VirtualRows.js';

/** What runs where: every pipeline a row, its phases as columns, filtered and sorted in memory. */
export function Overview(props: { filter: string; sort?: string | undefined }) {
  const { client, token } = useApi();
  const narrow = useMediaQuery(NARROW_QUERY);
  const { resource, reload, update } = useResource(
    async () => (await takeEarlyPipelines(token)) ?? client.listPipelines(),
    'pipelines',
  );
  useLiveEvents((s) => {
    if (s.type === 'phase') update((list) => ({ ...list, pipelines: [...applyPhaseStatus(list.pipelines, s.status)] }));
    else if (s.type === 'reconnected') reload();
  });
  const sort = parseSort(props.sort);
  // typing stays responsive with 10,000 rows: the box updates at once, the rows right after
  const filter = useDeferredValue(props.filter);
  const all = resource.status === 'ok' ? resource.data.pipelines : undefined;
  const shown = useMemo(() => (all ? sortPipelines(filterPipelines(all, filter), sort) : []), [all, filter, sort]);
  const columns = useMemo(() => (all ? phaseColumns(all) : []), [all]);
  const facets = useMemo(() => computeFacets(all ?? [], columns), [all, columns]);
  const setFilter = (v: string) => navigate(overviewHref(v, sort), { replace: true });
  const setSort = (s: PipelineSort) => navigate(overviewHref(props.filter, s), { replace: true });

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
        <h1>Pipelines</h1>
        <Empty title="No pipelines yet">
          Define pipelines in <code>gantry.yaml</code> or <code>gantry.config.ts</code> and restart{' '}
          <code>gantry serve</code>; <code>gantry sandbox init</code> makes an example.
        </Empty>
      </main>
    );
  const behind = all?.filter((p) => p.phases.some((ph) => ph.state === 'behind')).length ?? 0;
  return (
    <main className="page overview">
      <div className="overview-head">
        <h1>Pipelines</h1>
        <span className="summary">
          {behind > 0 ? (
            <button type="button" className="link" onClick={() => setFilter('is:behind')}>
              {behind} behind upstream
            </button>
          ) : (
            'everything in sync'
          )}
        </span>
      </div>
      <FilterBar
        value={props.filter}
        onChange={setFilter}
        sort={sort}
        onSort={setSort}
        shown={shown.length}
        total={all?.length ?? 0}
        facets={facets}
        narrow={narrow}
      />
      <div className="table">
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
