import type { BranchGate, CompiledBranch } from './branch-schema.js';
import type { EvaluationContext } from './evaluation-context.js';
import type { BranchVerdict } from './verdict.js';

/** `branch`: built from an allowed branch; with `manualOnly`, others only by hand. */
export function evaluateBranch(g: BranchGate, compiled: CompiledBranch, c: EvaluationContext): BranchVerdict {
  const raw = c.facts.version.source?.branch;
  const branch = raw?.startsWith('refs/heads/') ? raw.slice('refs/heads/'.length) : raw;
  const allowed = g.branches.join(', ');
  const common = { allowed: g.branches, manualOnly: g.manualOnly, manual: c.manual };
  const base = { gate: g.name, kind: 'branch' as const };
  if (branch === undefined || branch === '') {
    return {
      ...base,
      outcome: 'block',
      reason: 'the branch this version was built from is not known',
      unblock: "the version's branch must be known (the image's branch label, or a CI report)",
      evidence: common,
    };
  }
  const matched = compiled.branches.find((m) => m.test(branch));
  if (matched) {
    return {
      ...base,
      outcome: 'pass',
      reason: `built from ${branch}`,
      evidence: { ...common, branch, matched: matched.pattern },
    };
  }
  const evidence = { ...common, branch };
  if (g.manualOnly && c.manual) {
    return {
      ...base,
      outcome: 'pass',
      reason: `built from ${branch}, released by hand (only versions from ${allowed} are promoted automatically)`,
      evidence,
    };
  }
  if (g.manualOnly) {
    return {
      ...base,
      outcome: 'block',
      reason: `built from ${branch}: versions from branches other than ${allowed} are released by hand only`,
      unblock: `release it by hand, or release a version built from ${allowed}`,
      evidence,
    };
  }
  return {
    ...base,
    outcome: 'block',
    reason: `built from ${branch}; only versions from ${allowed} may enter`,
    unblock: `release a version built from ${allowed}`,
    evidence,
  };
}
