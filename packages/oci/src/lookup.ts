import { SourceError } from '@gantry/core';

/** The registry answered that the thing is not there (as opposed to failing to answer). */
export function isMissing(e: unknown): boolean {
  return (
    e instanceof SourceError &&
    (e.code === 'manifest_not_found' || e.code === 'repository_not_found' || e.code === 'blob_not_found')
  );
}
