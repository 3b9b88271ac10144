import type { GateEvaluation } from '@gantry/lifecycle';
import pc from 'picocolors';

type Colors = ReturnType<typeof pc.createColors>;

/** A verdict as the CLI reads it: the lifecycle's GateVerdict, or the API's JSON of one. */
export type VerdictView = GateEvaluation['verdicts'][number];

/** The API carries verdicts as plain records: they are the lifecycle's GateVerdicts, as JSON. */
export const asVerdicts = (records: readonly unknown[] | undefined): VerdictView[] =>
  (records ?? []) as unknown as VerdictView[];

const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join(', ') : 'none');

/** What the gate looked at, in a line: who approved, the window's clock, the commit, the keys. */
export function evidenceLine(v: VerdictView): string | undefined {
  if (v.evidence.notEvaluated) return `not evaluated: ${v.evidence.notEvaluated}`;
  switch (v.kind) {
    case 'approval': {
      const e = v.evidence;
      const person = (a: (typeof e.approvers)[number]) => `${a.by} (${a.role})${a.comment ? `: "${a.comment}"` : ''}`;
      const counted = e.approvers.map(person);
      // most reasons name the person already (`ann requested this promotion`)
      const ignored = e.ignored.map((a) =>
        a.ignored?.startsWith(a.by) ? a.ignored : `${a.by} (${a.ignored ?? 'ignored'})`,
      );
      return [
        `${e.required} needed from ${e.eligible.text}`,
        ...(e.requester ? [`requested by ${e.requester}`] : []),
        `counted: ${list(counted)}`,
        ...(e.rejections.length > 0 ? [`rejected by ${e.rejections.map(person).join(', ')}`] : []),
        ...(ignored.length > 0 ? [`not counted: ${ignored.join(', ')}`] : []),
      ].join('; ');
    }
    case 'soak': {
      const e = v.evidence;
      const ups = e.upstreams.map(
        (u) =>
          `${u.phase} ${u.state}${u.verifiedAt ? ` at ${u.verifiedAt}` : ''}${u.soakedAt ? `, soaked at ${u.soakedAt}` : ''}`,
      );
      return `soak ${Math.round(e.durationMs / 60_000)}m; ${list(ups)}`;
    }
    case 'window': {
      const e = v.evidence;
      return [
        `${e.localTime} ${e.timeZone}: ${e.open ? 'open' : `closed${e.closedBy ? ` by ${e.closedBy}` : ''}`}${e.period ? ` (${e.period})` : ''}`,
        ...(e.freeze ? [`freeze "${e.freeze.reason}" ${e.freeze.start} to ${e.freeze.end}`] : []),
        ...(e.changesAt ? [`${e.open ? 'closes' : 'opens'} at ${e.changesAt}`] : []),
        ...(e.override ? [`overridden by ${e.override.by} at ${e.override.at}: ${e.override.reason}`] : []),
      ].join('; ');
    }
    case 'commit': {
      const e = v.evidence;
      return [
        `commit ${e.commit ? e.commit.slice(0, 12) : 'unknown'}${e.subject ? ` "${e.subject}"` : ''}`,
        ...(e.email ? [`${e.identity} ${e.email}`] : []),
        ...(e.ticket ? [`ticket ${e.ticket}`] : e.ticketPattern ? [`no ticket like ${e.ticketPattern}`] : []),
        ...(e.failed.length > 0 ? [`failed: ${e.failed.join(', ')}`] : []),
      ].join('; ');
    }
    case 'branch': {
      const e = v.evidence;
      return `built from ${e.branch ?? 'an unknown branch'}; allowed: ${list(e.allowed)}${e.manualOnly ? ' (others by hand only)' : ''}${e.manual ? '; released by hand' : ''}`;
    }
    case 'signature': {
      const e = v.evidence;
      const results = e.results.map((r) => `${r.keyId ?? 'no key'}: ${r.verified ? 'verified' : r.reason}`);
      return `keys ${list(e.keys)}${e.predicateType ? `, attestation ${e.predicateType}` : ''}; ${results.length > 0 ? results.join('; ') : 'no check recorded'}`;
    }
  }
}

const OUTCOME_WIDTH = 5;

function outcomeText(v: VerdictView, c: Colors): string {
  const text = v.outcome.padEnd(OUTCOME_WIDTH);
  return v.outcome === 'pass' ? c.green(text) : v.outcome === 'wait' ? c.yellow(text) : c.red(text);
}

/**
 * One gate, in two or three lines: outcome, name and kind, and why; what it looked at; what
 * would unblock it (absent when it passes).
 */
export function formatVerdict(v: VerdictView, color = false, indent = '  '): string {
  const c = pc.createColors(color);
  const pad = `${indent}${' '.repeat(OUTCOME_WIDTH + 1)}`;
  const lines = [`${indent}${outcomeText(v, c)} ${c.bold(v.gate)} (${v.kind}): ${v.reason}`];
  const evidence = evidenceLine(v);
  if (evidence) lines.push(`${pad}${c.dim(evidence)}`);
  if (v.unblock) lines.push(`${pad}to unblock: ${v.unblock}`);
  else if (v.changesAt) lines.push(`${pad}${c.dim(`changes at ${v.changesAt}`)}`);
  return `${lines.join('\n')}\n`;
}

/** The gates still holding a promotion back, one per line; nothing when they all pass. */
export function formatPending(verdicts: readonly VerdictView[], color = false, indent = '  '): string {
  return verdicts
    .filter((v) => v.outcome !== 'pass')
    .map((v) => formatVerdict(v, color, indent))
    .join('');
}
