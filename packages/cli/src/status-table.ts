import type { PhaseState } from '@gantry/core';
import { formatAge } from '@gantry/core';
import pc from 'picocolors';

/** What the table shows of a phase: the engine's PhaseStatus and the API's JSON both fit. */
export interface StatusRow {
  readonly phase: string;
  readonly state: PhaseState;
  readonly version?: string;
  readonly setBy?: { readonly id: string };
  readonly age?: { readonly ms: number };
  readonly upstreams: ReadonlyArray<{ readonly phase: string; readonly version?: string; readonly inSync: boolean }>;
  readonly error?: { readonly message: string };
}

export interface StatusTableInput {
  readonly pipeline: string;
  readonly phases: readonly StatusRow[];
}

const isCommitSha = (id: string) => /^[0-9a-f]{40}$/.test(id);

function stateText(p: StatusRow, c: ReturnType<typeof pc.createColors>): string {
  switch (p.state) {
    case 'in-sync':
      return c.green('in sync');
    case 'behind': {
      const ahead = p.upstreams.filter((u) => !u.inSync && u.version !== undefined);
      return c.yellow(`behind ${ahead.map((u) => `${u.phase} (${u.version})`).join(', ')}`);
    }
    case 'source':
      return c.cyan('source');
    case 'empty':
      return c.dim('empty');
    case 'error':
      return c.red(`error: ${p.error?.message ?? 'unknown'}`);
  }
}

/** The `gantry status` table: one row per phase, upstreams first. */
export function formatStatusTable(pipelines: readonly StatusTableInput[], color = false): string {
  const c = pc.createColors(color);
  const header = ['PIPELINE', 'PHASE', 'VERSION', 'COMMIT', 'AGE', 'STATE'];
  const rows = pipelines.flatMap((p) =>
    p.phases.map((ph) => [
      p.pipeline,
      ph.phase,
      ph.version ?? '-',
      ph.setBy && isCommitSha(ph.setBy.id) ? ph.setBy.id.slice(0, 7) : '-',
      ph.age ? formatAge(ph.age) : '-',
      stateText(ph, c),
    ]),
  );
  // widths ignore the last column, so long error texts do not stretch the table
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i < widths.length ? cell.padEnd(widths[i] ?? 0) : cell))
      .join('  ')
      .trimEnd();
  return `${[c.bold(line(header)), ...rows.map(line)].join('\n')}\n`;
}
