const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * `14h`, `2d 3h`, `1h 5m`, `35m`, `40s`: how long until something, two units at most, for
 * reasons people read (`in 14h`). Rounds up, so "in 1m" never means "already".
 */
export function formatSpan(ms: number): string {
  if (!(ms > 0)) return '0s';
  if (ms < MINUTE) return `${Math.ceil(ms / 1000)}s`;
  const minutes = Math.ceil(ms / MINUTE);
  const d = Math.floor(minutes / (DAY / MINUTE));
  const h = Math.floor((minutes % (DAY / MINUTE)) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return `${m}m`;
}
