import type { ApiLineageCell } from '@gantry/api';

/** What a lineage cell says in one line: here now, or when it came and went, or never. */
export function cellText(c: ApiLineageCell, time: (iso: string) => string): string {
  if (c.stays.length === 0) return '—';
  const entered = c.enteredAt ? time(c.enteredAt) : 'before the history kept';
  const since = c.current ? `since ${entered}` : `${entered} → ${c.leftAt ? time(c.leftAt) : '?'}`;
  const again = c.stays.length > 1 ? ` (${c.stays.length} times)` : '';
  return `${since}${again}`;
}

/** Where a cell's version came from: Gantry's promotions, commits outside Gantry, or the source. */
export function cellOrigin(c: ApiLineageCell): string | undefined {
  const vias = new Set(c.stays.map((s) => s.via));
  if (vias.has('git')) return vias.has('gantry') ? 'Gantry and Git' : 'Git history';
  return undefined;
}
