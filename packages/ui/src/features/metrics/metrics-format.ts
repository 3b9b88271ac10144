import type { ApiPhaseMetrics } from '@gantry/api';

/** Display helpers of the metrics page; plain functions so they are tested without a DOM. */

/** Seconds as people say them: `45m`, `3h 30m`, `2d 18h`; `–` without a sample. */
export function formatSeconds(s: number | null): string {
  if (s === null) return '–';
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** A share as a percentage with at most one decimal: `40%`, `37.5%`. */
export function formatRate(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

/** Deployments per day, or per week when fewer than one a day: `3.2/day`, `2.5/week`. */
export function formatFrequency(perDay: number): string {
  if (perDay === 0) return '0';
  return perDay >= 1 ? `${round(perDay)}/day` : `${round(perDay * 7)}/week`;
}

const round = (n: number) => String(Math.round(n * 10) / 10);

/** `2025-03-01` for a period bound at midnight UTC, else the time to the minute. */
export function formatBound(iso: string): string {
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')}Z`;
}

/** Phases with most deployments first, then by name: the busiest on top. */
export function byActivity(phases: readonly ApiPhaseMetrics[]): ApiPhaseMetrics[] {
  return [...phases].sort(
    (a, b) =>
      b.deploymentFrequency.count - a.deploymentFrequency.count ||
      a.pipeline.localeCompare(b.pipeline) ||
      a.phase.localeCompare(b.phase),
  );
}
