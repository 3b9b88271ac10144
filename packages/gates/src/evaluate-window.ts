import type { EvaluationContext } from './evaluation-context.js';
import { iso } from './evaluation-context.js';
import type { OverrideRecord } from './facts.js';
import { instantOf } from './facts.js';
import { roleRank } from './roles.js';
import type { WindowEvidence, WindowVerdict } from './verdict.js';
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

/** `window`: open now by its schedule, no deny period and no freeze; or overridden by an admin. */
export function evaluateWindow(g: WindowGate, w: CompiledWindow, c: EvaluationContext): WindowVerdict {
  const state = windowStateAt(w, c.now);
  const change = nextWindowChange(w, c.now, state.open);
  const changesAt = change === undefined ? {} : { changesAt: iso(change) };
  const when = change === undefined ? undefined : formatInstant(w.zone, change, c.now);
  const localTime = formatWallClock(w.zone, c.now);
  const base = { gate: g.name, kind: 'window' as const };
  const common = { timeZone: g.timeZone, localTime, open: state.open, ...changesAt };
  if (state.open) {
    const period = state.allowedBy >= 0 ? w.allow[state.allowedBy]?.label : undefined;
    return {
      ...base,
      outcome: 'pass',
      reason: `open${period ? ` (${period})` : ''}${when ? ` until ${when}` : ''}`,
      ...changesAt,
      evidence: { ...common, ...(period ? { period } : {}) },
    };
  }
  const freeze: CompiledFreeze | undefined = state.frozenBy >= 0 ? w.freezes[state.frozenBy] : undefined;
  const denied = state.deniedBy >= 0 ? w.deny[state.deniedBy]?.label : undefined;
  const evidence: WindowEvidence = freeze
    ? {
        ...common,
        closedBy: 'freeze',
        freeze: { reason: freeze.reason, start: iso(freeze.start), end: iso(freeze.end) },
      }
    : denied !== undefined
      ? { ...common, closedBy: 'deny', period: denied }
      : { ...common, closedBy: 'schedule' };
  const closed = freeze
    ? `frozen: ${freeze.reason} (until ${formatInstant(w.zone, freeze.end, c.now)})`
    : denied !== undefined
      ? `closed: ${localTime} ${g.timeZone} is in the denied period ${denied}`
      : `closed: ${localTime} ${g.timeZone} is outside ${w.allow.map((p) => p.label).join(', ')}`;
  const override = overrideFor(g, c);
  if (override) {
    return {
      ...base,
      outcome: 'pass',
      reason: `${closed}; overridden by ${override.by}: ${override.reason}`,
      evidence: { ...evidence, override: { by: override.by, at: override.at, reason: override.reason } },
    };
  }
  const overrideText = `an admin overrides the ${freeze ? 'freeze' : 'window'} with a reason`;
  if (change === undefined) {
    return {
      ...base,
      outcome: 'block',
      reason: `${closed}, and it does not open within a year`,
      unblock: `${overrideText}, or the window's definition changes`,
      evidence,
    };
  }
  return {
    ...base,
    outcome: 'wait',
    reason: closed,
    unblock: `the window opens ${when}, or ${overrideText}`,
    ...changesAt,
    evidence,
  };
}
