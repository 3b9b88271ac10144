import { hostChangesInDiff } from '@gantry/updaters';
import pc from 'picocolors';

/** Colours a unified diff the way `git diff` does. */
export function colorDiff(diff: string, color: boolean): string {
  if (!color) return diff;
  return diff
    .split('\n')
    .map((l) =>
      l.startsWith('+++') || l.startsWith('---')
        ? pc.bold(l)
        : l.startsWith('+')
          ? pc.green(l)
          : l.startsWith('-')
            ? pc.red(l)
            : l.startsWith('@@')
              ? pc.cyan(l)
              : l,
    )
    .join('\n');
}

/**
 * `# note:` lines for each registry host a diff changes (a mirror or pull-through cache in
 * the upstream moves the phase to another registry): said before the diff is applied.
 */
export function hostNotes(diff: string): string {
  return hostChangesInDiff(diff)
    .map((h) => `# note: ${h.path}:${h.line} changes the registry host ${h.from} -> ${h.to}\n`)
    .join('');
}
