import { createTwoFilesPatch } from 'diff';
import type { FileEdit } from './source.js';

/** A unified diff of the edits, as `git diff` would show them. */
export function unifiedDiff(edits: readonly FileEdit[]): string {
  return edits
    .filter((e) => e.before !== e.after)
    .map((e) =>
      createTwoFilesPatch(
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
