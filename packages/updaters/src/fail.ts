import { UpdaterError } from '@gantry/core';

/** Where an updater looked: the path it tried, the line it got to, and what it found there. */
export interface Where {
  readonly file: string;
  /** The path tried, in the updater's own words (`image.tag`, `module "vpc" version`). */
  readonly path: string;
  /** 1-based line of the value, or of the closest place found on the way to it. */
  readonly line?: number;
  /** What was there instead: keys, container names, document kinds. */
  readonly found?: readonly string[];
}

/**
 * The error every updater raises: the file, the line, the path tried and what was found
 * there, so a phase's error says where to look without opening the updater's code.
 */
export function updaterError(where: Where, message: string): UpdaterError {
  const at = where.line !== undefined ? `line ${where.line}: ` : '';
  return new UpdaterError(`${at}${message}`, {
    file: where.file,
    path: where.path,
    ...(where.line !== undefined ? { line: where.line } : {}),
    ...(where.found !== undefined ? { known: where.found } : {}),
  });
}

/** `a, b, c`, or `(none)`: the list in an error message. */
export const listed = (items: readonly string[]): string => (items.length > 0 ? items.join(', ') : '(none)');
