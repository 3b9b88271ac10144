import type { EvaluationContext } from './evaluation-context.js';
import { iso } from './evaluation-context.js';
import type { OverrideRecord } from './facts.js';
import { instantOf } from './facts.js';
import { roleRank } from './roles.js';
import type { Decided } from './decision.js';
import type { GateOutcome, WindowEvidence } from './verdict.js';
import { decided } from './decision.js';
import type { CompiledFreeze, CompiledWindow, WindowState } from './window-calendar.js';
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
export function evaluateWindow(g: WindowGate, w: CompiledWindow, c: EvaluationContext): Decided<'window'> {
  const state = windowStateAt(w, c.now);
  const change = nextWindowChange(w, c.now, state.open);
  const override = state.open ? undefined : overrideFor(g, c);
  const outcome: GateOutcome = state.open || override ? 'pass' : change === undefined ? 'block' : 'wait';
  const changesAt = override ? undefined : change;
  return decided(g.name, 'window', outcome, changesAt, () => explain(g, w, c, state, change, override));
}

function explain(
  g: WindowGate,
  w: CompiledWindow,
  c: EvaluationContext,
  state: WindowState,
  change: number | undefined,
  override: OverrideRecord | undefined,
) {
  const when = change === undefined ? undefined : formatInstant(w.zone, change, c.now);
  const localTime = formatWallClock(w.zone, c.now);
  const evidence: Evidence = { timeZone: g.timeZone, localTime, open: state.open };
  if (change !== undefined) evidence.changesAt = iso(change);
  if (state.open) {
    const period = state.allowedBy >= 0 ? w.allow[state.allowedBy]?.label : undefined;
    if (period !== undefined) evidence.period = period;
    return { reason: `open${period ? ` (${period})` : ''}${when ? ` until ${when}` : ''}`, evidence };
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
  if (override) {
    evidence.override = { by: override.by, at: override.at, reason: override.reason };
    return { reason: `${closed}; overridden by ${override.by}: ${override.reason}`, evidence };
  }
  const overrideText = `an admin overrides the ${freeze ? 'freeze' : 'window'} with a reason`;
  if (change === undefined) {
    return {
      reason: `${closed}, and it does not open within a year`,
      unblock: `${overrideText}, or the window's definition changes`,
      evidence,
    };
  }
  return { reason: closed, unblock: `the window opens ${when}, or ${overrideText}`, evidence };
}
