import { asVerdicts, formatPending } from '../gates/verdict-view.js';

/** What `promote` says of a promotion its phase's gates keep waiting: recorded, and what it waits for. */
export function waitingText(
  p: {
    readonly id: string;
    readonly pipeline: string;
    readonly phase: string;
    readonly fromVersion?: string;
    readonly toVersion: string;
    readonly gates?: readonly unknown[];
  },
  color: boolean,
): string {
  return (
    `waiting promotion ${p.id}: ${p.pipeline}/${p.phase} ${p.fromVersion ?? '(none)'} -> ${p.toVersion}\n` +
    `  recorded; it runs once its gates let it through (gantry why ${p.pipeline} ${p.phase}):\n` +
    formatPending(asVerdicts(p.gates), color, '    ')
  );
}

/** What a waiting promotion waits for, in one line: each gate holding it and why (for a progress line). */
export function waitingReason(p: { readonly gates?: readonly unknown[] }): string {
  const pending = asVerdicts(p.gates).filter((v) => v.outcome !== 'pass');
  return pending.length > 0 ? pending.map((v) => `${v.gate} (${v.kind}): ${v.reason}`).join('; ') : 'its gates';
}
