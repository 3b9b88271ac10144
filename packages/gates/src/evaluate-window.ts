import type { EvaluationContext } from './evaluation-context.js';
import { iso } from './evaluation-context.js';
import type { OverrideRecord } from './facts.js';
import { instantOf } from './facts.js';
import { roleRank } from './roles.js';
import type { WindowEvidence, WindowVerdict } from './verdict.js';
import { makeVerdict } from './verdict.js';
import type { CompiledFreeze, CompiledWindow } from './window-calendar.js';
import { nextWindowChange, windowStateAt } from './window-calendar.js';
import type { WindowGate } from './window-schema.js';
import { formatInstant, formatWallClock } from './zone.js';

/** The override that counts for this gate and version: an admin's, with a reason, not expired. */
function overrideFor(g: WindowGate, c: EvaluationContext): OverrideRecord | undefined {
  for (const o of c.facts.overrides ?? []) {
    if (o.gate !== g.name || roleRank(o.role) < roleRank('admin') || o.reason.trim() === '') continue;
    if (o.digest !== undefined && o.digest !== c.facts.version.digest) continue;
    const expires = instantOf(o.expiresAt);
    if (o.expiresAt !== undefined && (expires === undefined || expires <= c.now)) continue;
    return o;
  }
  return undefined;
}

type Evidence = { -readonly [P in keyof WindowEvidence]: WindowEvidence[P] };

/** `window`: open now by its schedule, no deny period and no freeze; or overridden by an admin. */
export function evaluateWindow(g: WindowGate, w: CompiledWindow, c: EvaluationContext): WindowVerdict {
  const state = windowStateAt(w, c.now);
  const change = nextWindowChange(w, c.now, state.open);
  const changesAt = change === undefined ? undefined : iso(change);
  const when = change === undefined ? undefined : formatInstant(w.zone, change, c.now);
  const localTime = formatWallClock(w.zone, c.now);
  const evidence: Evidence = { timeZone: g.timeZone, localTime, open: state.open };
  if (changesAt !== undefined) evidence.changesAt = changesAt;
  if (state.open) {
    const period = state.allowedBy >= 0 ? w.allow[state.allowedBy]?.label : undefined;
    if (period !== undefined) evidence.period = period;
    const reason = `open${period ? ` (${period})` : ''}${when ? ` until ${when}` : ''}`;
    return makeVerdict(g.name, 'window', 'pass', reason, evidence, undefined, changesAt);
  }
  const freeze: CompiledFreeze | undefined = state.frozenBy >= 0 ? w.freezes[state.frozenBy] : undefined;
  const denied = state.deniedBy >= 0 ? w.deny[state.deniedBy]?.label : undefined;
  let closed: string;
  if (freeze) {
    evidence.closedBy = 'freeze';
    evidence.freeze = { reason: freeze.reason, start: iso(freeze.start), end: iso(freeze.end) };
    closed = `frozen: ${freeze.reason} (until ${formatInstant(w.zone, freeze.end, c.now)})`;
  } else if (denied !== undefined) {
    evidence.closedBy = 'deny';
    evidence.period = denied;
    closed = `closed: ${localTime} ${g.timeZone} is in the denied period ${denied}`;
  } else {
    evidence.closedBy = 'schedule';
    closed = `closed: ${localTime} ${g.timeZone} is outside ${w.allow.map((p) => p.label).join(', ')}`;
  }
  const override = overrideFor(g, c);
  if (override) {
    evidence.override = { by: override.by, at: override.at, reason: override.reason };
    const reason = `${closed}; overridden by ${override.by}: ${override.reason}`;
    return makeVerdict(g.name, 'window', 'pass', reason, evidence);
  }
  const overrideText = `an admin overrides the ${freeze ? 'freeze' : 'window'} with a reason`;
  if (change === undefined) {
    const reason = `${closed}, and it does not open within a year`;
    return makeVerdict(
      g.name,
      'window',
      'block',
      reason,
      evidence,
      `${overrideText}, or the window's definition changes`,
    );
  }
  const unblock = `the window opens ${when}, or ${overrideText}`;
  return makeVerdict(g.name, 'window', 'wait', closed, evidence, unblock, changesAt);
}
