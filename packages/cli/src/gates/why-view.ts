import pc from 'picocolors';
import type { HoldView } from './hold-view.js';
import { describeHoldView, releaseCommand } from './hold-view.js';
import { asVerdicts, formatVerdict } from './verdict-view.js';

/** What `gantry why` shows: the lifecycle's `Why` and the API's JSON of it both fit. */
export interface WhyView {
  readonly plan:
    | {
        readonly kind: 'in-sync';
        readonly pipeline: string;
        readonly phase: string;
        readonly current: { readonly version: string };
      }
    | { readonly kind: 'blocked'; readonly pipeline: string; readonly phase: string; readonly reason: string }
    | {
        readonly kind: 'promote';
        readonly pipeline: string;
        readonly phase: string;
        readonly reason: string;
        readonly target: { readonly version: string };
        readonly current?: { readonly version: string };
      };
  readonly gates?: {
    readonly verdicts: readonly unknown[];
    readonly summary: { readonly outcome: string; readonly reason: string; readonly recheckAt?: string };
  };
  readonly holds: readonly HoldView[];
  readonly unfinished: ReadonlyArray<{
    readonly id: string;
    readonly state: string;
    readonly fromVersion?: string;
    readonly toVersion: string;
    readonly trigger: { readonly kind: string; readonly actor?: string; readonly policy?: string };
    readonly createdAt: string;
  }>;
}

const when = (iso: string) => iso.slice(0, 19).replace('T', ' ');

/**
 * `gantry why`: the version in question and where it stands, every gate's verdict with its
 * evidence and what would unblock it, the pins and pauses in force, the promotions not settled.
 */
export function formatWhy(w: WhyView, color = false, o: { byHand?: boolean } = {}): string {
  const c = pc.createColors(color);
  const at = `${w.plan.pipeline}/${w.plan.phase}`;
  const out: string[] = [];
  switch (w.plan.kind) {
    case 'in-sync':
      out.push(`${c.bold(at)} is in sync at ${w.plan.current.version}: nothing to promote`);
      break;
    case 'blocked':
      out.push(`${c.bold(at)} cannot be promoted now: ${w.plan.reason}`);
      break;
    case 'promote':
      out.push(`${c.bold(at)}: ${w.plan.current?.version ?? '(none)'} -> ${w.plan.target.version} (${w.plan.reason})`);
  }
  const verdicts = asVerdicts(w.gates?.verdicts);
  if (w.plan.kind === 'promote') {
    if (!w.gates || verdicts.length === 0) out.push(`gates: none`);
    else {
      const s = w.gates.summary;
      const summary =
        s.outcome === 'pass' ? c.green(s.reason) : s.outcome === 'wait' ? c.yellow(s.reason) : c.red(s.reason);
      const asked = o.byHand ? ' (judged as your release by hand)' : '';
      out.push(`gates${asked}: ${summary}${s.recheckAt ? c.dim(` (judged again at ${s.recheckAt})`) : ''}`);
      out.push(
        verdicts
          .map((v) => formatVerdict(v, color))
          .join('')
          .trimEnd(),
      );
    }
  }
  if (w.holds.length === 0) out.push('holds: none (automation may move it)');
  else {
    out.push(`holds: ${c.magenta('automation leaves it where it is; a person may still promote')}`);
    for (const h of w.holds) out.push(`  ${describeHoldView(h)}\n        to release: ${releaseCommand(h)}`);
  }
  if (w.unfinished.length > 0) {
    out.push('promotions not settled:');
    for (const p of w.unfinished) {
      const by = p.trigger.actor ?? p.trigger.policy ?? p.trigger.kind;
      out.push(
        `  ${p.id}  ${p.state.padEnd(9)} ${p.fromVersion ?? '(none)'} -> ${p.toVersion}  by ${by} at ${when(p.createdAt)}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
