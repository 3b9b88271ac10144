/**
 * Serializes writes to one place (a repository branch) across processes: replicas of a
 * server hold it while they commit and push, so they take turns instead of racing.
 * Within one process the writer queue already serializes; this is for several.
 */
export interface WriteLock {
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}
