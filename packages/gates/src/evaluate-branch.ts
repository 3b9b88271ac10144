import type { BranchGate, CompiledBranch } from './branch-schema.js';
import type { EvaluationContext } from './evaluation-context.js';
import type { BranchEvidence, BranchVerdict } from './verdict.js';
import { makeVerdict } from './verdict.js';

/** `branch`: built from an allowed branch; with `manualOnly`, others only by hand. */
export function evaluateBranch(g: BranchGate, compiled: CompiledBranch, c: EvaluationContext): BranchVerdict {
  const raw = c.facts.version.source?.branch;
  const branch = raw?.startsWith('refs/heads/') ? raw.slice('refs/heads/'.length) : raw;
  const evidence: { -readonly [P in keyof BranchEvidence]: BranchEvidence[P] } = {
    allowed: g.branches,
    manualOnly: g.manualOnly,
    manual: c.manual,
  };
  if (branch === undefined || branch === '') {
    const reason = 'the branch this version was built from is not known';
    const unblock = "the version's branch must be known (the image's branch label, or a CI report)";
    return makeVerdict(g.name, 'branch', 'block', reason, evidence, unblock);
  }
  evidence.branch = branch;
  const matched = compiled.branches.find((m) => m.test(branch));
  if (matched) {
    evidence.matched = matched.pattern;
    return makeVerdict(g.name, 'branch', 'pass', `built from ${branch}`, evidence);
  }
  const allowed = g.branches.join(', ');
  if (g.manualOnly && c.manual) {
    const reason = `built from ${branch}, released by hand (only versions from ${allowed} are promoted automatically)`;
    return makeVerdict(g.name, 'branch', 'pass', reason, evidence);
  }
  if (g.manualOnly) {
    const reason = `built from ${branch}: versions from branches other than ${allowed} are released by hand only`;
    const unblock = `release it by hand, or release a version built from ${allowed}`;
    return makeVerdict(g.name, 'branch', 'block', reason, evidence, unblock);
  }
  const reason = `built from ${branch}; only versions from ${allowed} may enter`;
  return makeVerdict(g.name, 'branch', 'block', reason, evidence, `release a version built from ${allowed}`);
}
