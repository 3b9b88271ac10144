import type { ApiPhaseStatus, ApiPipelineStatus } from '@gantry/api';
import { useEffect, useMemo, useRef } from 'react';
import { navigate } from '../../app/navigation.js';
import { overviewHref } from '../../app/routes.js';
import { useApi } from '../../api/api-context.js';
import { takeEarlyPipelines } from '../../api/early-fetch.js';
import { useLiveEvents } from '../../api/events-context.js';
import { applyPhaseStatuses } from '../../api/live-updates.js';
import { useResource } from '../../api/use-resource.js';
import { Empty } from '../../shared/Empty.js';
import { ErrorNotice } from '../../shared/ErrorNotice.js';
import { Loading } from '../../shared/Loading.js';
import { NARROW_QUERY, useMediaQuery } from '../../shared/use-media-query.js';
import type { Facets } from './facets.js';
import { computeFacets } from './facets.js';
import { FilterBar } from './FilterBar.js';
import { filterPipelines, phaseColumns, prepareFilter } from './filter.js';
import { useFirstRows } from './first-rows.js';
import type { PipelineSort } from './sort.js';
import { parseSort, sortPipelines } from './sort.js';
import { VirtualRows } from './VirtualRows.js';

const FOLD_AT_LATEST_MS = 250;

const NO_FACETS: Facets = { labels: [], phases: [], production: undefined };

/**
 * What runs where: every pipeline a row, its phases as columns, filtered and sorted in memory.
 * Until the whole list has arrived, the first rows come from a small page the server sorts.
 */
export function Overview(props: { filter: string; sort?: string | undefined }) {
  const { client, token } = useApi();
  const narrow = useMediaQuery(NARROW_QUERY);
  const sort = parseSort(props.sort);
  const { resource, reload, update } = useResource(
    async () => (await takeEarlyPipelines(token, firstRows.settled)) ?? client.listPipelines(),
    'pipelines',
  );
  const firstRows = useFirstRows(sort, resource.status === 'loading');
  const first = firstRows.page;
  // a fleet's reconcile sends thousands of phase events: folded in once per frame, each fold
  // filtering, sorting and counting 10,000 pipelines once, not once per event
  const queued = useRef<ApiPhaseStatus[]>([]);
  useLiveEvents((s) => {
    if (s.type === 'phase') {
      if (queued.current.push(s.status) > 1) return;
      const fold = () => {
        const batch = queued.current;
        if (batch.length === 0) return;
        queued.current = [];
        update((list) => {
          const pipelines = applyPhaseStatuses(list.pipelines, batch);
          return pipelines === list.pipelines ? list : { ...list, pipelines: pipelines as ApiPipelineStatus[] };
        });
      };
      requestAnimationFrame(fold);
      // a hidden tab has no frames: a timer folds them in all the same
      setTimeout(fold, FOLD_AT_LATEST_MS);
    } else if (s.type === 'reconnected') reload();
  });
  const all = resource.status === 'ok' ? resource.data.pipelines : undefined;
  // 10,000 pipelines filter and sort in a few ms: done at once, so the count and rows follow the
  // box in one frame; a new sort does not filter again, nor a new filter sort what it dropped
  useEffect(() => (all ? prepareFilter(all) : undefined), [all]);
  const filtered = useMemo(() => (all ? filterPipelines(all, props.filter) : []), [all, props.filter]);
  const shown = useMemo(() => sortPipelines(filtered, sort), [filtered, sort]);
  const columns = useMemo(() => phaseColumns(all ?? first?.pipelines ?? []), [all, first]);
  const facets = useMemo(() => (all ? computeFacets(all, columns) : NO_FACETS), [all, columns]);
  const behind = useMemo(() => all?.filter((p) => p.phases.some((ph) => ph.state === 'behind')).length, [all]);
  const setFilter = (v: string) => navigate(overviewHref(v, sort), { replace: true });
  const setSort = (s: PipelineSort) => navigate(overviewHref(props.filter, s), { replace: true });

  if (resource.status === 'loading' && !first) return <Loading what="Loading pipelines" />;
  if (resource.status === 'error')
    return (
      <main className="page">
        <ErrorNotice error={resource.error} retry={reload} />
      </main>
    );
  if (all?.length === 0)
    return (
      <main className="page">
        <h1>Pipelines</h1>
        <Empty title="No pipelines yet">
          Define pipelines in <code>gantry.yaml</code> or <code>gantry.config.ts</code> and restart{' '}
          <code>gantry serve</code>; <code>gantry sandbox init</code> makes an example.
        </Empty>
      </main>
    );
  return (
    <main className="page overview">
      <div className="overview-head">
        <h1>Pipelines</h1>
        <span className="summary">
          {behind === undefined ? null : behind > 0 ? (
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
        shown={all ? shown.length : (first?.pipelines.length ?? 0)}
        total={all ? all.length : (first?.total ?? 0)}
        loading={!all}
        facets={facets}
        narrow={narrow}
      />
      <div className="table">
        <Rows
          rows={all ? shown : props.filter ? undefined : first?.pipelines}
          total={all?.length ?? first?.total ?? 0}
          columns={columns}
          filter={props.filter}
          clear={() => setFilter('')}
        />
      </div>
    </main>
  );
}

/** The rows; `undefined` while a filter waits for the whole list. */
function Rows(props: {
  rows: readonly ApiPipelineStatus[] | undefined;
  total: number;
  columns: readonly string[];
  filter: string;
  clear: () => void;
}) {
  if (props.rows === undefined) return <Loading what={`Loading all ${props.total} pipelines to filter them`} />;
  if (props.rows.length === 0)
    return (
      <Empty title={`No pipeline matches “${props.filter}”`}>
        <button type="button" className="link" onClick={props.clear}>
          Clear the filter
        </button>
      </Empty>
    );
  return <VirtualRows pipelines={props.rows} columns={props.columns} />;
}
