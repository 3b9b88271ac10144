/** One line of a unified diff, classified for display. */
export interface DiffLine {
  readonly kind: 'file' | 'hunk' | 'add' | 'remove' | 'context';
  readonly text: string;
  /** Line number in the old / new file, where the line exists there. */
  readonly oldNo?: number;
  readonly newNo?: number;
}

/** Splits a unified diff (as `git diff` or the plan writes it) into classified, numbered lines. */
export function diffLines(diff: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  const lines = diff.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const text of lines) {
    if (text.startsWith('--- ') || text.startsWith('+++ ') || text.startsWith('diff ') || text.startsWith('index ')) {
      out.push({ kind: 'file', text });
      continue;
    }
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[2]);
      out.push({ kind: 'hunk', text });
    } else if (text.startsWith('+')) out.push({ kind: 'add', text, newNo: newNo++ });
    else if (text.startsWith('-')) out.push({ kind: 'remove', text, oldNo: oldNo++ });
    else if (text.startsWith('\\')) out.push({ kind: 'context', text });
    else out.push({ kind: 'context', text, oldNo: oldNo++, newNo: newNo++ });
  }
  return out;
}

/** Lines added and removed, as a reviewer's summary. */
export function diffStat(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.kind === 'add') added++;
    else if (l.kind === 'remove') removed++;
  }
  return { added, removed };
}
