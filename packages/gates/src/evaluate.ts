import type { CompiledApproval } from './approval-schema.js';
import type { CompiledBranch } from './branch-schema.js';
import type { CompiledCommit } from './commit-schema.js';
import { recall } from './compiled.js';
import { evaluateApproval } from './evaluate-approval.js';
import { evaluateBranch } from './evaluate-branch.js';
import { evaluateCommit } from './evaluate-commit.js';
import { evaluateSignature } from './evaluate-signature.js';
import { evaluateSoak } from './evaluate-soak.js';
import { evaluateWindow } from './evaluate-window.js';
import type { EvaluationContext } from './evaluation-context.js';
import { contextOf } from './evaluation-context.js';
import type { GateFacts } from './facts.js';
import type { Gate, GateKind } from './gate-schema.js';
import { gateSchema } from './gate-schema.js';
import type { CompiledSignature } from './signature-schema.js';
import type { Decided } from './decision.js';
import type { GateDecision, GateOutcome, GateVerdict } from './verdict.js';
import { explained } from './decision.js';
import type { CompiledWindow } from './window-calendar.js';

/** Gates that did not come from a parse (copies, JSON, raw config), parsed once each. */
const reparsed = new WeakMap<object, { readonly gate: Gate; readonly compiled: unknown } | string[]>();

/**
 * The gate as parsed, and its compiled form: remembered by its parse; or, for a gate that
 * was copied, read back from JSON, or handed over as raw configuration (`duration: '2h'`,
 * no name), parsed once here and remembered. A list of strings says why it is invalid.
 */
function resolve(gate: Gate): { readonly gate: Gate; readonly compiled: unknown } | string[] {
  const known = recall(gate);
  if (known !== undefined) return { gate, compiled: known };
  const again = reparsed.get(gate);
  if (again !== undefined) return again;
  const r = gateSchema.safeParse(gate);
  const resolved = r.success
    ? { gate: r.data, compiled: recall(r.data) }
    : r.error.issues.map((i) => `[${i.path.join('.') || '(root)'}] ${i.message}`);
  reparsed.set(gate, resolved);
  return resolved;
}

/** A verdict for a gate that could not be evaluated: it blocks, with evidence of its kind's shape. */
function notEvaluated(gate: Gate, reason: string, unblock: string): GateVerdict {
  const base = { gate: String(gate.name ?? gate.kind), outcome: 'block' as const, reason, unblock };
  const notEvaluated = reason;
  switch (gate.kind) {
    case 'approval':
      return {
        ...base,
        kind: gate.kind,
        evidence: {
          required: 0,
          eligible: { tokens: [], text: '' },
          approvers: [],
          rejections: [],
          ignored: [],
          notEvaluated,
        },
      };
    case 'window':
      return { ...base, kind: gate.kind, evidence: { timeZone: '', localTime: '', open: false, notEvaluated } };
    case 'commit':
      return { ...base, kind: gate.kind, evidence: { identity: 'committer', failed: [], notEvaluated } };
    case 'branch':
      return { ...base, kind: gate.kind, evidence: { allowed: [], manualOnly: false, manual: false, notEvaluated } };
    case 'signature':
      return { ...base, kind: gate.kind, evidence: { keys: [], results: [], notEvaluated } };
    default:
      return { ...base, kind: 'soak', evidence: { durationMs: 0, upstreams: [], notEvaluated } };
  }
}

type AnyDecided =
  | Decided<'soak'>
  | Decided<'approval'>
  | Decided<'window'>
  | Decided<'commit'>
  | Decided<'branch'>
  | Decided<'signature'>;

/** One gate's decision; a verdict at once when the gate could not be evaluated (it blocks). */
function decideOne(input: Gate, c: EvaluationContext): AnyDecided | GateVerdict {
  if (!Number.isFinite(c.now)) {
    const reason = 'the current time is not known (facts.now is not a valid date)';
    return notEvaluated(input, reason, 'evaluate with a valid clock');
  }
  try {
    const resolved = resolve(input);
    if (Array.isArray(resolved)) {
      const reason = `the gate's definition is invalid: ${resolved.join('; ')}`;
      return notEvaluated(input, reason, 'fix the gate in the configuration');
    }
    const { gate, compiled } = resolved;
    switch (gate.kind) {
      case 'soak':
        return evaluateSoak(gate, c);
      case 'approval':
        return evaluateApproval(gate, compiled as CompiledApproval, c);
      case 'window':
        return evaluateWindow(gate, compiled as CompiledWindow, c);
      case 'commit':
        return evaluateCommit(gate, compiled as CompiledCommit, c);
      case 'branch':
        return evaluateBranch(gate, compiled as CompiledBranch, c);
      case 'signature':
        return evaluateSignature(gate, compiled as CompiledSignature, c);
    }
  } catch (e) {
    // a bug, not a verdict: still never a pass
    return notEvaluated(input, `the gate could not be evaluated: ${(e as Error).message}`, 'report this as a bug');
  }
}

function isDecided(d: AnyDecided | GateVerdict): d is AnyDecided {
  return 'explain' in d;
}

function fullVerdict(d: AnyDecided | GateVerdict, gate: Gate): GateVerdict {
  if (!isDecided(d)) return d;
  try {
    return explained(d as Decided<'soak'>) as GateVerdict;
  } catch (e) {
    return notEvaluated(gate, `the gate could not be explained: ${(e as Error).message}`, 'report this as a bug');
  }
}

/**
 * Pure: one verdict per gate, in the gates' order, with its reason, evidence and what
 * would unblock it, from the facts gathered for this phase, version and request.
 * Deterministic (the clock is `facts.now`), and it does not throw: a gate it cannot
 * evaluate blocks and says why, never passes. What `gantry why`, the preview and the
 * promotion's record show.
 */
export function evaluateGates(gates: readonly Gate[], facts: GateFacts): GateVerdict[] {
  const c = contextOf(facts);
  const verdicts: GateVerdict[] = [];
  for (const gate of gates) verdicts.push(fullVerdict(decideOne(gate, c), gate));
  return verdicts;
}

/**
 * Pure: the same evaluation as `evaluateGates`, keeping only each gate's outcome and when
 * it may change, without putting words and evidence together. For planning many phases
 * at once; `summarize` takes either.
 */
export function decideGates(gates: readonly Gate[], facts: GateFacts): GateDecision[] {
  const c = contextOf(facts);
  const decisions: GateDecision[] = [];
  for (const gate of gates) {
    const d = decideOne(gate, c);
    if (!isDecided(d)) {
      decisions.push({ gate: d.gate, kind: d.kind, outcome: d.outcome });
      continue;
    }
    const decision: { gate: string; kind: GateKind; outcome: GateOutcome; changesAt?: string } = {
      gate: d.gate,
      kind: d.kind,
      outcome: d.outcome,
    };
    if (d.changesAtMs !== undefined) decision.changesAt = new Date(d.changesAtMs).toISOString();
    decisions.push(decision);
  }
  return decisions;
}
