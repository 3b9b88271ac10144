import type { PhaseState } from '@gantry/core';
import { formatAge } from '@gantry/core';
import pc from 'picocolors';
import type { HoldView } from './gates/hold-view.js';

/** What the table shows of a phase: the engine's PhaseStatus and the API's JSON both fit. */
export interface StatusRow {
  readonly phase: string;
  readonly state: PhaseState;
  readonly version?: string;
  readonly setBy?: { readonly id: string };
  readonly age?: { readonly ms: number };
  readonly upstreams: ReadonlyArray<{ readonly phase: string; readonly version?: string; readonly inSync: boolean }>;
  readonly error?: { readonly message: string };
  /** What the phase's deployer reports for the current version (a phase with a `deployer:`). */
  readonly deployment?: { readonly state: string };
  /** The current version's verification in the phase (a phase with verification). */
  readonly verification?: { readonly state: string; readonly run?: number };
  /** Pins and pauses in force on the phase (its own, and its pipeline's pause). */
  readonly holds?: readonly HoldView[];
  /** The phase's open pull request (a phase with `write: proposal`). */
  readonly proposal?: {
    readonly provider: string;
    readonly number: number;
    readonly version: string;
    readonly checks?: { readonly state: string; readonly total: number; readonly passed: number };
  };
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

type Colors = ReturnType<typeof pc.createColors>;

const GOOD = new Set(['healthy', 'verified']);
const BAD = new Set(['failed', 'degraded']);

const tone = (state: string, text: string, c: Colors) =>
  GOOD.has(state) ? c.green(text) : BAD.has(state) ? c.red(text) : c.yellow(text);

/** How the current version fares after the push: `deployment healthy, verified`, `verifying (run 2)`. */
function afterPush(p: StatusRow, c: Colors): string[] {
  const out: string[] = [];
  if (p.deployment) out.push(tone(p.deployment.state, `deployment ${p.deployment.state}`, c));
  const v = p.verification;
  if (v) {
    const run = v.run !== undefined && v.run > 1 ? ` (run ${v.run})` : '';
    const text =
      v.state === 'verified'
        ? `verified${run}`
        : v.state === 'running'
          ? `verifying${run}`
          : v.state === 'failed'
            ? `verification failed${run}`
            : 'verification pending';
    out.push(tone(v.state, text, c));
  }
  return out;
}

/** `proposed #12 (1.4.0, checks 1/2 pending)`: the open pull request that would bring a version. */
function proposalText(p: StatusRow, c: Colors): string[] {
  const pr = p.proposal;
  if (!pr) return [];
  const checks =
    pr.checks && pr.checks.total > 0 ? `, checks ${pr.checks.passed}/${pr.checks.total} ${pr.checks.state}` : '';
  return [c.blue(`proposed ${pr.provider === 'gitlab' ? '!' : '#'}${pr.number} (${pr.version}${checks})`)];
}

/** `pinned by alice (rollback to app@1a2b)`: who holds automation back, and why. */
const holdText = (h: HoldView, c: Colors) =>
  c.magenta(
    `${h.kind === 'pin' ? 'pinned' : h.phase === undefined ? 'pipeline paused' : 'paused'} by ${h.actor} (${h.reason})`,
  );

/**
 * The `gantry status` table: one row per phase, upstreams first. The last column says where the
 * phase stands, then how its version fares after the push and what holds automation back, so
 * the columns before it stay narrow.
 */
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
      [
        stateText(ph, c),
        ...afterPush(ph, c),
        ...proposalText(ph, c),
        ...(ph.holds ?? []).map((h) => holdText(h, c)),
      ].join(', '),
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
