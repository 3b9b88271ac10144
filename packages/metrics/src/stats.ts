/**
 * The median of the values: the middle one, or the mean of the two middle ones; `null` for none.
 * Sorts `values` in place (callers hand over arrays they own).
 */
export function median(values: number[]): number | null {
  values.sort((a, b) => a - b);
  return medianOfSorted(values);
}

/**
 * The nearest-rank percentile: the smallest value with at least `p` percent of the values at or
 * below it (`sorted[ceil(p/100 * n) - 1]`); `null` for none. Sorts `values` in place.
 */
export function percentile(values: number[], p: number): number | null {
  values.sort((a, b) => a - b);
  return percentileOfSorted(values, p);
}

/** `median` of values already in ascending order. */
export function medianOfSorted(sorted: ArrayLike<number>): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? 0) + hi) / 2;
}

/** `percentile` of values already in ascending order. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** The values in ascending order, as a new typed array (a numeric sort, without a comparator call per pair). */
export function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}
