import { parseImageReference } from '@gantry/core';
import { hostOf } from './image-codec.js';

/** A registry host a promotion would change in a file. */
export interface HostChange {
  readonly path: string;
  readonly line: number;
  readonly from: string;
  readonly to: string;
}

const REFERENCE = /[a-z0-9][a-z0-9.-]*(?::\d+)?\/[a-z0-9._/-]+(?::[\w][\w.-]*)?(?:@[a-z0-9]+:[a-f0-9]+)?/g;

const hosts = (line: string): string[] =>
  [...line.matchAll(REFERENCE)].flatMap((m) => {
    const ref = parseImageReference(m[0]);
    const h = ref && hostOf(ref.repository);
    return h ? [h] : [];
  });

/**
 * The registry hosts that file edits change: for `gantry diff` to say so before a promotion
 * moves a file from the host it names to another (a mirror, a pull-through cache). Lines are
 * compared pairwise, as updaters change values in place.
 */
export function hostChanges(
  edits: readonly { readonly path: string; readonly before: string | undefined; readonly after: string }[],
): HostChange[] {
  const out: HostChange[] = [];
  for (const e of edits) {
    if (e.before === undefined) continue;
    const a = e.before.split('\n');
    const b = e.after.split('\n');
    if (a.length !== b.length) continue;
    a.forEach((line, i) => {
      const next = b[i] as string;
      if (line === next) return;
      const from = hosts(line);
      const to = hosts(next);
      from.forEach((h, j) => {
        const t = to[j];
        if (t !== undefined && t !== h) out.push({ path: e.path, line: i + 1, from: h, to: t });
      });
    });
  }
  return out;
}

/**
 * `hostChanges` over a unified diff (the plan's `diff`, which the API also returns): removed and
 * added lines of a hunk are paired in order, as updaters change values in place.
 */
export function hostChangesInDiff(diff: string): HostChange[] {
  const out: HostChange[] = [];
  let path = '';
  let line = 0;
  let removed: { text: string; line: number }[] = [];
  let added: string[] = [];
  const flush = () => {
    removed.forEach((r, i) => {
      const next = added[i];
      if (next === undefined) return;
      const from = hosts(r.text);
      const to = hosts(next);
      from.forEach((h, j) => {
        const t = to[j];
        if (t !== undefined && t !== h) out.push({ path, line: r.line, from: h, to: t });
      });
    });
    removed = [];
    added = [];
  };
  for (const l of diff.split('\n')) {
    if (l.startsWith('+++ ')) {
      flush();
      path = l.slice(4).replace(/^b\//, '');
    } else if (l.startsWith('--- ')) {
      flush();
    } else if (l.startsWith('@@')) {
      flush();
      line = Number(/^@@ -(\d+)/.exec(l)?.[1] ?? 0);
    } else if (l.startsWith('-')) {
      removed.push({ text: l.slice(1), line });
      line += 1;
    } else if (l.startsWith('+')) {
      added.push(l.slice(1));
    } else {
      flush();
      line += 1;
    }
  }
  flush();
  return out;
}
