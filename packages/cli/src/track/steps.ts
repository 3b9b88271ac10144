import type { DeploymentState, PromotionState, PromotionWithEvents, VerificationState } from '@gantry/store';

/** A promotion as `gantry track` reads it: the store's record, or the API's equal JSON. */
export type TrackedPromotion = PromotionWithEvents;

/** One check's result in a verification run, as `track` prints it. */
export interface CheckStep {
  readonly name: string;
  readonly status: 'passed' | 'failed';
  readonly reason: string;
  readonly at: string;
}

/**
 * One thing that happened to a promotion, in the order `track` reports them: its own states
 * (queued ... succeeded), then what the deployer reported, then its verification and checks.
 */
export type TrackStep =
  | {
      readonly kind: 'promotion';
      readonly state: PromotionState;
      readonly at: string;
      readonly commit?: string;
      readonly error?: { readonly code: string; readonly message: string };
      /** A proposal's pull (merge) request page: shown while proposed and when merged. */
      readonly proposal?: string;
    }
  | {
      readonly kind: 'deployment';
      readonly state: DeploymentState;
      readonly at: string;
      readonly message?: string;
      readonly deployer?: string;
      readonly commit?: string;
    }
  | ({ readonly kind: 'check'; readonly run: number } & CheckStep)
  | {
      readonly kind: 'verification';
      readonly state: VerificationState;
      readonly run: number;
      readonly at: string;
      readonly failed?: readonly string[];
      readonly reason?: string;
    };

/** Identifies a step, so a state seen in two reads is reported once; a state reached again (healthy after degraded) is new. */
export function stepKey(s: TrackStep): string {
  switch (s.kind) {
    case 'promotion':
      return `promotion:${s.state}`;
    case 'deployment':
      return `deployment:${s.state}:${s.at}`;
    case 'check':
      return `check:${s.run}:${s.name}`;
    case 'verification':
      return `verification:${s.run}:${s.state}`;
  }
}

/**
 * The steps one read of a promotion shows, in order. Verification runs before `minRun` (an
 * earlier verdict `gantry verify` replaces) are left out. Check results belong to the run
 * they were recorded for; they come before that run's verdict.
 */
export function stepsOf(p: TrackedPromotion, checks: readonly CheckStep[] = [], minRun = 1): TrackStep[] {
  const steps: TrackStep[] = [];
  const seen = new Set<string>();
  // the recorded history: a state entered twice (re-queued after a crash) is reported once
  for (const e of p.events) {
    if (seen.has(e.state)) continue;
    seen.add(e.state);
    steps.push({
      kind: 'promotion',
      state: e.state,
      at: e.at,
      ...(e.state === 'committed' || e.state === 'pushed' || e.state === 'succeeded'
        ? p.commitSha
          ? { commit: p.commitSha }
          : {}
        : {}),
      ...(e.state === 'failed' && p.error ? { error: p.error } : {}),
      ...((e.state === 'proposed' || e.state === 'succeeded') && p.proposal ? { proposal: p.proposal.url } : {}),
    });
  }
  if (!seen.has(p.state)) {
    steps.push({
      kind: 'promotion',
      state: p.state,
      at: p.updatedAt,
      ...(p.commitSha ? { commit: p.commitSha } : {}),
      ...(p.error ? { error: p.error } : {}),
      ...((p.state === 'proposed' || p.state === 'succeeded') && p.proposal ? { proposal: p.proposal.url } : {}),
    });
  }
  const d = p.deployment;
  if (d) {
    steps.push({
      kind: 'deployment',
      state: d.state,
      at: d.at,
      ...(d.message !== undefined ? { message: d.message } : {}),
      ...(d.deployer !== undefined ? { deployer: d.deployer } : {}),
      ...(d.commit !== undefined ? { commit: d.commit } : {}),
    });
  }
  const v = p.verification;
  if (v && v.run >= minRun) {
    // a run that ended without checks because the deployer failed never ran: no `running` for it
    if (v.state === 'pending' || v.state === 'running' || v.state === 'verified' || checks.length > 0) {
      steps.push({ kind: 'verification', state: v.state === 'pending' ? 'pending' : 'running', run: v.run, at: v.at });
    }
    for (const c of checks) steps.push({ kind: 'check', run: v.run, ...c });
    if (v.state !== 'running' && v.state !== 'pending') {
      steps.push({
        kind: 'verification',
        state: v.state,
        run: v.run,
        at: v.at,
        ...(v.failed ? { failed: v.failed } : {}),
        ...(v.reason !== undefined ? { reason: v.reason } : {}),
      });
    }
  }
  return steps;
}

/** How tracking ends: 0 verified (or pushed where nothing verifies), 1 failed. */
export type Verdict =
  | { readonly outcome: 'verified' | 'succeeded'; readonly reason: string }
  | { readonly outcome: 'failed'; readonly reason: string };

export interface VerdictOptions {
  /** The phase verifies its versions (a deployer reports on it, or checks prove it). */
  readonly hasVerification: boolean;
  /** Only a verification run from this one on decides (`gantry verify` waits for its own run). */
  readonly minRun?: number;
  /**
   * `gantry verify`: the new run's verdict decides, even after the deployer reported a failure
   * (the run may find it recovered). A plain track stops at the deployer's failure.
   */
  readonly rerun?: boolean;
}

/** Whether the promotion has reached an end `track` reports; undefined: keep following. */
export function verdictOf(p: TrackedPromotion, o: VerdictOptions): Verdict | undefined {
  const minRun = o.minRun ?? 1;
  if (p.state === 'failed') {
    return {
      outcome: 'failed',
      reason: `promotion failed${p.error ? `: [${p.error.code}] ${p.error.message}` : ''}`,
    };
  }
  if (p.state === 'superseded') {
    return { outcome: 'failed', reason: 'promotion superseded by a newer one before it was written' };
  }
  const v = p.verification && p.verification.run >= minRun ? p.verification : undefined;
  if (v?.state === 'verified') return { outcome: 'verified', reason: `verified (run ${v.run})` };
  if (v?.state === 'failed') {
    return { outcome: 'failed', reason: `verification failed (run ${v.run})${v.reason ? `: ${v.reason}` : ''}` };
  }
  const d = p.deployment;
  if (!o.rerun && (d?.state === 'failed' || d?.state === 'degraded')) {
    return {
      outcome: 'failed',
      reason: `the deployer reported ${d.state}${d.message ? `: ${d.message}` : ''}`,
    };
  }
  if (p.state === 'succeeded' && !o.hasVerification) {
    return { outcome: 'succeeded', reason: 'pushed; the phase has no verification' };
  }
  return undefined;
}
