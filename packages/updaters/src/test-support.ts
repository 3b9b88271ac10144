/** One changed line: 1-based line number in `before`, and its text before/after. */
export interface LineChange {
  readonly line: number;
  readonly before?: string;
  readonly after?: string;
}

/**
 * The lines that differ between two texts. Same line count: compared line by line, so two
 * edits far apart show as two changes. Otherwise the block between the common head and
 * tail: what was removed and what was added there.
 */
export function lineChanges(before: string, after: string): LineChange[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length === b.length) {
    return a.flatMap((line, i) => (line === b[i] ? [] : [{ line: i + 1, before: line, after: b[i] as string }]));
  }
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail])
    tail += 1;
  return [
    ...a.slice(head, a.length - tail).map((l, i) => ({ line: head + i + 1, before: l })),
    ...b.slice(head, b.length - tail).map((l) => ({ line: head + 1, after: l })),
  ];
}

export const digestOf = (c: string): string => `sha256:${c.repeat(64)}`;

/** Runs `fn` and returns what it threw; fails the test when it throws nothing. */
export function thrown(fn: () => unknown): Error & { code?: string; context?: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}
