/**
 * The median of the values: the middle one, or the mean of the two middle ones; `null` for none.
 * Sorts `values` in place (callers hand over arrays they own).
 */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  const hi = values[mid] ?? 0;
  return values.length % 2 === 1 ? hi : ((values[mid - 1] ?? 0) + hi) / 2;
}

/**
 * The nearest-rank percentile: the smallest value with at least `p` percent of the values at or
 * below it (`sorted[ceil(p/100 * n) - 1]`); `null` for none. Sorts `values` in place.
 */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * values.length));
  return values[Math.min(rank, values.length) - 1] ?? null;
}
