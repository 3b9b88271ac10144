import { join } from 'node:path';
import type { ApiDeliveryMetrics } from '@gantry/api';
import { dataDirOf, loadSystem } from '@gantry/config';
import { GantryError } from '@gantry/core';
import type { Figures } from '@gantry/metrics';
import { parseInstant, parseSpan } from '@gantry/metrics';
import { checkScope, readDeliveryMetrics, resolvePeriod } from '@gantry/server';
import { openStore } from '@gantry/store';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';

export interface MetricsFlags {
  readonly phase?: string;
  readonly since?: string;
  readonly from?: string;
  readonly to?: string;
  readonly bucket?: 'day' | 'week';
  readonly json?: boolean;
}

/** A flag's text read by `parse`, or the CLI's invalid-request error naming the flag. */
function flag<T>(name: string, text: string | undefined, parse: (t: string) => T): T | undefined {
  if (text === undefined) return undefined;
  try {
    return parse(text);
  } catch (e) {
    throw new GantryError('invalid_request', `--${name}: ${(e as Error).message}`, { field: name });
  }
}

/**
 * `gantry metrics [pipeline]`: deployment frequency, lead time, change failure rate and time to
 * restore per phase over a period (the last 30 days by default). Remote mode asks the server;
 * otherwise the store the server uses (the data directory's SQLite, or `server.databaseUrl`).
 */
export async function metricsCommand(
  io: Io,
  g: GlobalOptions,
  pipeline: string | undefined,
  o: MetricsFlags,
): Promise<number> {
  if (o.since !== undefined && o.from !== undefined)
    throw new GantryError('invalid_request', 'give --since or --from, not both', { field: 'since' });
  const period = resolvePeriod(
    {
      ...(o.from !== undefined ? { from: flag('from', o.from, parseInstant) } : {}),
      ...(o.to !== undefined ? { to: flag('to', o.to, parseInstant) } : {}),
      ...(o.since !== undefined ? { since: o.since } : {}),
    },
    new Date(),
  );
  flag('since', o.since, parseSpan);
  if (period.to.getTime() <= period.from.getTime())
    throw new GantryError(
      'invalid_request',
      `--to: the period must end after it starts (${period.from.toISOString()})`,
      {
        field: 'to',
      },
    );
  const scope = {
    ...(pipeline !== undefined ? { pipeline } : {}),
    ...(o.phase !== undefined ? { phase: o.phase } : {}),
    ...(o.bucket !== undefined ? { bucket: o.bucket } : {}),
  };
  const client = remoteClient(io);
  const metrics: ApiDeliveryMetrics = client
    ? await client.deliveryMetrics({ from: period.from.toISOString(), to: period.to.toISOString(), ...scope })
    : await readLocal(io, g, { ...period, ...scope, seriesPerPhase: pipeline !== undefined });
  if (o.json) io.out(toJson(metrics));
  else io.out(renderMetrics(metrics));
  return EXIT.ok;
}

async function readLocal(
  io: Io,
  g: GlobalOptions,
  scope: Parameters<typeof readDeliveryMetrics>[2],
): Promise<ApiDeliveryMetrics> {
  const { loaded, system } = await loadSystem({ cwd: io.cwd, env: io.env, ...(g.config ? { file: g.config } : {}) });
  checkScope(system, scope.pipeline, scope.phase);
  const url = loaded.config.server?.databaseUrl;
  const store = await openStore({
    ...(url ? { databaseUrl: url } : {}),
    sqlitePath: join(dataDirOf(loaded), 'gantry.db'),
  });
  try {
    return (await readDeliveryMetrics(store, system, scope)) as ApiDeliveryMetrics;
  } finally {
    await store.close();
  }
}

/** `45m`, `3h30m`, `2d18h`; `-` without a sample. */
export function formatSeconds(s: number | null): string {
  if (s === null) return '-';
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
}

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;

function row(pipeline: string, phase: string, f: Figures): string[] {
  const c = f.changeFailureRate;
  const t = f.timeToRestore;
  return [
    pipeline,
    phase,
    String(f.deploymentFrequency.count),
    f.deploymentFrequency.perDay.toFixed(2),
    `${formatSeconds(f.leadTime.medianSeconds)} / ${formatSeconds(f.leadTime.p90Seconds)}`,
    `${pct(c.rate)} (${c.failures}/${c.deployments})`,
    `${formatSeconds(t.medianSeconds)}${t.open > 0 ? ` (${t.open} open)` : ''}`,
  ];
}

/** The table `gantry metrics` prints: one row per phase, then the total, then where lead times came from. */
export function renderMetrics(m: ApiDeliveryMetrics): string {
  const day = (iso: string) => iso.replace('T00:00:00.000Z', '').replace('.000Z', 'Z');
  const lines = [`delivery metrics ${day(m.period.from)} .. ${day(m.period.to)} (${m.period.days.toFixed(1)} days)`];
  const header = [
    'PIPELINE',
    'PHASE',
    'DEPLOYS',
    'PER DAY',
    'LEAD TIME (MEDIAN / P90)',
    'FAILURE RATE',
    'TIME TO RESTORE',
  ];
  const rows = [...m.phases.map((p) => row(p.pipeline, p.phase, p)), row('TOTAL', '', m.total)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const r of [header, ...rows])
    lines.push(
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  if (m.phases.length === 0) lines.push('no deployments in this period');
  const sources = Object.entries(m.total.leadTime.sources).filter(([, n]) => n > 0);
  if (sources.length > 0)
    lines.push(`lead time measured from: ${sources.map(([from, n]) => `${from} ${n}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
