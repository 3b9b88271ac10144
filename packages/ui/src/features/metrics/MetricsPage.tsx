import type { ApiDeliveryMetrics, ApiMetricsSeriesPoint } from '@gantry/api';
import { useEffect, useMemo, useState } from 'react';
import { Link } from '../../app/Link.js';
import type { MetricsRouteQuery } from '../../app/routes.js';
import { metricsHref, pipelineHref } from '../../app/routes.js';
import { useApi } from '../../api/api-context.js';
import { takeEarlyMetrics } from '../../api/early-fetch.js';
import { useResource } from '../../api/use-resource.js';
import { Empty } from '../../shared/Empty.js';
import { ErrorNotice } from '../../shared/ErrorNotice.js';
import { Loading } from '../../shared/Loading.js';
import { FigureCards } from './FigureCards.js';
import { byActivity, formatBound, formatFrequency, formatRate, formatSeconds } from './metrics-format.js';
import { DEFAULT_SPAN, metricsApiQuery } from './metrics-query.js';
import type { ChartSeries } from './TimeChart.js';
import { TimeChart } from './TimeChart.js';
import './metrics.css';

const SPANS = ['7d', '30d', '90d', '365d'] as const;
/** Rows shown before "show all": a fleet's table stays quick to paint. */
const FIRST_ROWS = 200;
const hours = (v: number) => `${Math.round((v / 3600) * 10) / 10}h`;
/** Counts: whole numbers only (a tick at 0.5 deployments says nothing). */
const count = (v: number) => (Number.isInteger(v) ? String(v) : '');

/** Charts of a series: deployments with the failed ones over them, and the median times. */
function SeriesCharts(props: { series: readonly ApiMetricsSeriesPoint[]; bucket: string; title?: string }) {
  const { times, counts, times2 } = useMemo(() => {
    const s = props.series;
    const times = s.map((p) => Date.parse(p.start) / 1000);
    const counts: ChartSeries[] = [
      { label: 'deployments', values: s.map((p) => p.deployments), color: '#2563eb88', kind: 'bars' },
      { label: 'failed', values: s.map((p) => p.failures), color: '#b91c1ccc', kind: 'bars' },
    ];
    const times2: ChartSeries[] = [
      { label: 'lead time (median)', values: s.map((p) => p.leadTimeMedianSeconds), color: '#15803d', kind: 'line' },
      {
        label: 'time to restore (median)',
        values: s.map((p) => p.timeToRestoreMedianSeconds),
        color: '#b45309',
        kind: 'line',
      },
    ];
    return { times, counts, times2 };
  }, [props.series]);
  const prefix = props.title ? `${props.title}: ` : '';
  return (
    <div className="metrics-charts">
      <TimeChart
        title={`${prefix}deployments and failures per ${props.bucket}`}
        times={times}
        series={counts}
        format={count}
      />
      <TimeChart
        title={`${prefix}lead time and time to restore per ${props.bucket}`}
        times={times}
        series={times2}
        format={hours}
      />
    </div>
  );
}

function PhaseTable(props: { metrics: ApiDeliveryMetrics; query: MetricsRouteQuery }) {
  const [all, setAll] = useState(false);
  const rows = useMemo(() => byActivity(props.metrics.phases), [props.metrics.phases]);
  const shown = all ? rows : rows.slice(0, FIRST_ROWS);
  return (
    <>
      <table className="metrics-table" aria-label="Delivery metrics per phase">
        <thead>
          <tr>
            <th>Pipeline</th>
            <th>Phase</th>
            <th>Deployments</th>
            <th>Frequency</th>
            <th>Lead time (median / p90)</th>
            <th>Change failure rate</th>
            <th>Time to restore</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={`${p.pipeline}/${p.phase}`} data-phase={`${p.pipeline}/${p.phase}`}>
              <td>
                <Link href={metricsHref({ ...props.query, pipeline: p.pipeline, phase: undefined })}>{p.pipeline}</Link>
              </td>
              <td>{p.phase}</td>
              <td className="num">{p.deploymentFrequency.count}</td>
              <td className="num">{formatFrequency(p.deploymentFrequency.perDay)}</td>
              <td className="num">
                {formatSeconds(p.leadTime.medianSeconds)} / {formatSeconds(p.leadTime.p90Seconds)}
              </td>
              <td className="num">
                {formatRate(p.changeFailureRate.rate)} ({p.changeFailureRate.failures}/{p.changeFailureRate.deployments}
                )
              </td>
              <td className="num">
                {formatSeconds(p.timeToRestore.medianSeconds)}
                {p.timeToRestore.open > 0 && ` (${p.timeToRestore.open} open)`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown.length && (
        <button type="button" onClick={() => setAll(true)}>
          Show all {rows.length} phases
        </button>
      )}
    </>
  );
}

/**
 * Delivery metrics (DORA) of the fleet or one pipeline over a period: the four figures, their
 * series as charts, and each phase's figures. Loaded on demand with its chart library.
 */
export default function MetricsPage(props: { query: MetricsRouteQuery }) {
  const { client, token } = useApi();
  const q = props.query;
  const since = q.from === undefined && q.since === undefined ? DEFAULT_SPAN : q.since;
  const page = useResource(
    async () =>
      // the answer index.html asked for while this page's code loaded, else asked now
      (await takeEarlyMetrics(token, metricsApiQuery(q))) ??
      client.deliveryMetrics({
        ...(q.from !== undefined ? { from: q.from } : {}),
        ...(q.to !== undefined ? { to: q.to } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(q.pipeline !== undefined ? { pipeline: q.pipeline } : {}),
        ...(q.phase !== undefined ? { phase: q.phase } : {}),
      }),
    `metrics:${JSON.stringify(q)}`,
  );
  const m = page.resource.status === 'ok' ? page.resource.data : undefined;
  useEffect(() => {
    // the benchmark's "painted": figures, charts (drawn in their own effects, which run first) and table
    if (m && performance.getEntriesByName('gantry:metrics').length === 0) performance.mark('gantry:metrics');
  }, [m]);
  return (
    <main className="page metrics">
      <div className="crumbs">
        <Link href="/">Overview</Link> /{' '}
        {q.pipeline ? <Link href={metricsHref({ since: q.since })}>Delivery metrics</Link> : <h1>Delivery metrics</h1>}
        {q.pipeline && (
          <>
            {' / '}
            <h1>{q.pipeline}</h1>
            <Link href={pipelineHref(q.pipeline)} className="hint">
              open pipeline
            </Link>
          </>
        )}
        <nav className="toggle" aria-label="Period">
          {SPANS.map((s) => (
            <Link
              key={s}
              href={metricsHref({ pipeline: q.pipeline, phase: q.phase, since: s })}
              aria-current={since === s ? 'page' : undefined}
            >
              {s}
            </Link>
          ))}
        </nav>
        <button type="button" className="reread" onClick={page.reload}>
          Refresh
        </button>
      </div>
      {page.resource.status === 'loading' && <Loading what="Computing delivery metrics" />}
      {page.resource.status === 'error' && <ErrorNotice error={page.resource.error} retry={page.reload} />}
      {m && (
        <>
          <p className="hint period">
            {formatBound(m.period.from)} to {formatBound(m.period.to)} ({Math.round(m.period.days * 10) / 10} days)
            {q.phase ? `, phase ${q.phase}` : ''}
          </p>
          <FigureCards figures={m.total} />
          {m.phases.length === 0 ? (
            <Empty title="No deployments in this period">
              A deployment is a promotion that succeeded with a commit. Pick a longer period, or promote something.
            </Empty>
          ) : (
            <>
              <SeriesCharts series={m.total.series} bucket={m.period.bucket} />
              {q.pipeline &&
                m.phases.map((p) =>
                  p.series ? (
                    <SeriesCharts key={p.phase} series={p.series} bucket={m.period.bucket} title={p.phase} />
                  ) : null,
                )}
              <PhaseTable metrics={m} query={q} />
            </>
          )}
        </>
      )}
    </main>
  );
}
