/** A span of time as a value; never a bare number of unknown unit. */
export interface Duration {
  readonly ms: number;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `500ms`, `30s`, `5m`, `1h30m`, `2d`. */
export function parseDuration(text: string): Duration {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.trim().matchAll(re)) {
    total += Number(m[1]) * (UNITS[m[2] ?? ''] ?? 0);
    consumed += m[0].length;
  }
  if (consumed === 0 || consumed !== text.trim().length) {
    throw new RangeError(`invalid duration "${text}" (use e.g. 500ms, 30s, 5m, 1h30m)`);
  }
  return { ms: total };
}

export const seconds = (n: number): Duration => ({ ms: n * 1000 });
export const milliseconds = (n: number): Duration => ({ ms: n });

/** `3d`, `5h`, `12m`, `40s`: the largest unit, for ages in status tables. */
export function formatAge(d: Duration): string {
  const s = Math.max(0, Math.floor(d.ms / 1000));
  if (s >= 86_400) return `${Math.floor(s / 86_400)}d`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h`;
  if (s >= 60) return `${Math.floor(s / 60)}m`;
  return `${s}s`;
}
