import { createRequire } from 'node:module';
import type * as Diff from 'diff';
import type { FileEdit } from './source.js';

let loadedDiff: typeof Diff | undefined;
/** diff, loaded the first time an edit changes something: a status of phases in sync never loads it. */
const diffLib = (): typeof Diff => {
  loadedDiff ??= createRequire(import.meta.url)('diff') as typeof Diff;
  return loadedDiff;
};

/** A unified diff of the edits, as `git diff` would show them. */
export function unifiedDiff(edits: readonly FileEdit[]): string {
  return edits
    .filter((e) => e.before !== e.after)
    .map((e) =>
      diffLib()
        .createTwoFilesPatch(
          e.before === undefined ? '/dev/null' : `a/${e.path}`,
          `b/${e.path}`,
          e.before ?? '',
          e.after,
          undefined,
          undefined,
          { context: 3 },
        )
        // the library's `===` separator line is noise next to git's format
        .replace(/^=+\n/m, ''),
    )
    .join('');
}
