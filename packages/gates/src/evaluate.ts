import type { CompiledApproval } from './approval-schema.js';
import type { CompiledBranch } from './branch-schema.js';
import type { CompiledCommit } from './commit-schema.js';
import { recall, remember } from './compiled.js';
import { evaluateApproval } from './evaluate-approval.js';
import { evaluateBranch } from './evaluate-branch.js';
import { evaluateCommit } from './evaluate-commit.js';
import { evaluateSignature } from './evaluate-signature.js';
import { evaluateSoak } from './evaluate-soak.js';
import { evaluateWindow } from './evaluate-window.js';
import type { EvaluationContext } from './evaluation-context.js';
import { contextOf } from './evaluation-context.js';
import type { GateFacts } from './facts.js';
import type { Gate } from './gate-schema.js';
import { gateSchema } from './gate-schema.js';
import type { CompiledSignature } from './signature-schema.js';
import type { GateVerdict } from './verdict.js';
import type { CompiledWindow } from './window-calendar.js';

/**
 * The compiled form of a gate: remembered by its parse, or (for a gate that was copied or
 * read back from JSON) parsed again once and remembered. A string says why it is invalid.
 */
function compiledOf(gate: Gate): unknown {
  if (gate.kind === 'soak') return true;
  const known = recall(gate);
  if (known !== undefined) return known;
  const again = gateSchema.safeParse(gate);
  if (!again.success) return again.error.issues.map((i) => `[${i.path.join('.') || '(root)'}] ${i.message}`);
  const compiled = recall(again.data);
  remember(gate, compiled);
  return compiled;
}

/** A verdict for a gate that could not be evaluated: it blocks, with evidence of its kind's shape. */
function notEvaluated(gate: Gate, reason: string, unblock: string): GateVerdict {
  const base = { gate: String(gate.name), outcome: 'block' as const, reason, unblock };
  const notEvaluated = reason;
  switch (gate.kind) {
    case 'approval':
      return {
        ...base,
        kind: gate.kind,
        evidence: { required: 0, approvers: '', counted: [], ignored: [], notEvaluated },
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

function evaluateOne(gate: Gate, c: EvaluationContext): GateVerdict {
  const compiled = compiledOf(gate);
  if (Array.isArray(compiled)) {
    return notEvaluated(
      gate,
      `the gate's definition is invalid: ${compiled.join('; ')}`,
      'fix the gate in the configuration',
    );
  }
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
}

/**
 * Pure: one verdict per gate, in the gates' order, from the facts gathered for this
 * phase, version and request. Deterministic (the clock is `facts.now`), and it does not
 * throw: a gate it cannot evaluate blocks and says why, never passes.
 */
export function evaluateGates(gates: readonly Gate[], facts: GateFacts): GateVerdict[] {
  const c = contextOf(facts);
  const verdicts: GateVerdict[] = [];
  for (const gate of gates) {
    if (!Number.isFinite(c.now)) {
      verdicts.push(
        notEvaluated(
          gate,
          'the current time is not known (facts.now is not a valid date)',
          'evaluate with a valid clock',
        ),
      );
      continue;
    }
    try {
      verdicts.push(evaluateOne(gate, c));
    } catch (e) {
      // a bug, not a verdict: still never a pass
      verdicts.push(
        notEvaluated(gate, `the gate could not be evaluated: ${(e as Error).message}`, 'report this as a bug'),
      );
    }
  }
  return verdicts;
}
