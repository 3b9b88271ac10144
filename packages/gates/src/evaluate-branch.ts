import type { BranchGate, CompiledBranch } from './branch-schema.js';
import type { EvaluationContext } from './evaluation-context.js';
import type { Matcher } from './pattern.js';
import type { Decided } from './decision.js';
import type { BranchEvidence, GateOutcome } from './verdict.js';
import { decided } from './decision.js';

/** `branch`: built from an allowed branch; with `manualOnly`, others only by hand. */
export function evaluateBranch(g: BranchGate, compiled: CompiledBranch, c: EvaluationContext): Decided<'branch'> {
  const raw = c.facts.version.source?.branch;
  const branch = raw?.startsWith('refs/heads/') ? raw.slice('refs/heads/'.length) : raw;
  const known = branch !== undefined && branch !== '';
  const matched = known ? compiled.branches.find((m) => m.test(branch)) : undefined;
  const outcome: GateOutcome = matched || (known && g.manualOnly && c.manual) ? 'pass' : 'block';
  return decided(g.name, 'branch', outcome, undefined, () => explain(g, c, branch, matched));
}

function explain(g: BranchGate, c: EvaluationContext, branch: string | undefined, matched: Matcher | undefined) {
  const evidence: { -readonly [P in keyof BranchEvidence]: BranchEvidence[P] } = {
    allowed: g.branches,
    manualOnly: g.manualOnly,
    manual: c.manual,
  };
  if (branch === undefined || branch === '') {
    return {
      reason: 'the branch this version was built from is not known',
      unblock: "the version's branch must be known (the image's branch label, or a CI report)",
      evidence,
    };
  }
  evidence.branch = branch;
  if (matched) {
    evidence.matched = matched.pattern;
    return { reason: `built from ${branch}`, evidence };
  }
  const allowed = g.branches.join(', ');
  if (g.manualOnly && c.manual) {
    return {
      reason: `built from ${branch}, released by hand (only versions from ${allowed} are promoted automatically)`,
      evidence,
    };
  }
  if (g.manualOnly) {
    return {
      reason: `built from ${branch}: versions from branches other than ${allowed} are released by hand only`,
      unblock: `release it by hand, or release a version built from ${allowed}`,
      evidence,
    };
  }
  return {
    reason: `built from ${branch}; only versions from ${allowed} may enter`,
    unblock: `release a version built from ${allowed}`,
    evidence,
  };
}
