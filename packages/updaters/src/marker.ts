import { lineIndex } from './document.js';
import { updaterError } from './fail.js';
import type { Slot } from './slot.js';
import { textSlot } from './text-slot.js';
import { type ValueOptions, type ValueUpdater, valueUpdater } from './value-codec.js';

export type MarkerLineOptions = ValueOptions & {
  /** Text that marks the line, e.g. `# gantry:app-version` or `<!-- gantry: image -->`. */
  readonly marker: string;
  /** `same` (default): the line carrying the marker; `next`: the line after it. */
  readonly line?: 'same' | 'next';
  /**
   * A regular expression matched on that line; its first capture group (or the group named
   * `value`) is the value rewritten, nothing else on the line changes.
   */
  readonly pattern: string;
};

/**
 * Any text format: the line carrying a marker (or the line after it) has its value, found by
 * a pattern, rewritten in place. For Dockerfiles, Makefiles, `.env` files, docs, scripts.
 */
export function markerLine<O extends MarkerLineOptions>(options: O): ValueUpdater<O> {
  let pattern: RegExp;
  try {
    pattern = new RegExp(options.pattern, 'd');
  } catch (e) {
    throw new TypeError(`markerLine: the pattern is not a regular expression: ${(e as Error).message}`);
  }
  return valueUpdater(options, `marked line ${options.marker}`, (content, file) => {
    const lineOf = lineIndex(content);
    const slots: Slot[] = [];
    for (
      let at = content.indexOf(options.marker);
      at >= 0;
      at = content.indexOf(options.marker, at + options.marker.length)
    ) {
      let start = content.lastIndexOf('\n', at) + 1;
      if (options.line === 'next') {
        const nl = content.indexOf('\n', at);
        if (nl < 0)
          throw updaterError(
            { file, path: options.marker, line: lineOf(at) },
            'the marker is on the last line: no line after it',
          );
        start = nl + 1;
      }
      const nl = content.indexOf('\n', start);
      const line = content.slice(start, nl < 0 ? undefined : nl).replace(/\r$/, '');
      const where = { file, path: `${options.marker} ${options.pattern}`, line: lineOf(start) };
      const m = pattern.exec(line);
      const range = m?.indices?.groups?.value ?? m?.indices?.[1];
      if (!m || !range)
        throw updaterError(where, `the pattern ${options.pattern} does not match ${JSON.stringify(line)}`);
      slots.push(textSlot(content, start + range[0], start + range[1], 'raw', where));
    }
    if (slots.length === 0)
      throw updaterError({ file, path: options.marker, line: 1 }, `no line carries the marker ${options.marker}`);
    return slots;
  });
}
